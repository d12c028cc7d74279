using CorsKit.AspNetCore.Tests.Infrastructure;
using CorsKit.Sources;
using Microsoft.Extensions.Time.Testing;

using static CorsKit.AspNetCore.Tests.Origins.SharedSourceHosts;

namespace CorsKit.AspNetCore.Tests.Origins;

/// <summary>
/// Two hosts in one process sharing one source and ONE clock (as in production, where both use TimeProvider.System),
/// with a store that is not watched and a ResyncInterval longer than MaxStaleness (a store that fails closed quickly but
/// is polled rarely). A starts at 0 s (resyncs at 60 s, 120 s), B at 30 s (resyncs at 90 s, 150 s).
/// </summary>
public sealed class OriginSourceOneClockTests
{
    private static readonly OriginSourceOptions Options = new()
    {
        MaxStaleness = TimeSpan.FromSeconds(20),
        ResyncInterval = TimeSpan.FromSeconds(60),
        RetryInterval = TimeSpan.FromSeconds(5),
    };

    // The store goes down at 50 s. A notices at 60 s (42: until 80 s) and fails the copy closed at 80 s (43). B first
    // fails to read at its 90 s resync. The copy is refused already; B must not claim otherwise. Before this fix: B logs 42, "it
    // serves its copy ... until 110 s, then refuses its origins", while the copy has been refused since 80 s.
    [Fact]
    public async Task HostNoticesOutageAfterAnotherFailedTheCopyClosed_DoesNotLogThatItServesIt()
    {
        var store = new MemoryOriginStore();
        store.Tenants[string.Empty] = [Acme];
        var source = new OriginSource("shared", store, Options);
        var time = new FakeTimeProvider();
        await using var a = await StartAsync(source, time);
        time.Advance(TimeSpan.FromSeconds(30));
        await using var b = await StartAsync(source, time);

        store.FailAfter = 0;
        time.Advance(TimeSpan.FromSeconds(30)); // 60 s: A's resync fails
        await Poll.UntilAsync(() => a.Logs.ForEvent(42).Count == 1);
        for (var step = 0; step < 4; step++) // A's retries to 80 s: A fails the copy closed
        {
            await AdvanceToNextFailedReadAsync(store, time, Options.RetryInterval);
        }

        Assert.Equal((OriginSourceStatus.FailedClosed, 1), (source.Status, a.Logs.ForEvent(43).Count));
        await a.DisposeAsync();

        await AdvanceToNextFailedReadAsync(store, time, TimeSpan.FromSeconds(10)); // 90 s: B's resync fails
        await AdvanceToNextFailedReadAsync(store, time, Options.RetryInterval);   // 95 s: B's first retry, so 90 s is handled

        using var refused = await b.GetAsync("/plain", Acme);
        CorsAssert.Headers(refused, ("Vary", "Origin"));
        Assert.Equal((OriginSourceStatus.FailedClosed, 0), (source.Status, b.Logs.ForEvent(42).Count));
    }

    // The store goes down at 50 s. A notices at 60 s (42: until 80 s: the copy is stale since 60 s) and stops at 70 s
    // (a short-lived host beside the app). At 85 s the copy has been stale for 25 s, past MaxStaleness (20 s): it must be
    // refused (docs/scale-out.md: "MaxStaleness after the copy turned stale (whichever host in the process noticed
    // first)"). Before this fix, A's staleness timer went with A and B had not failed a read yet (its resync is at 90 s),
    // so the stale copy was served past its deadline, up to ResyncInterval in general, with nothing logged.
    [Fact]
    public async Task HostThatMarkedTheCopyStaleStops_OtherHostHasNotFailedYet_CopyStillRefusedAtTheDeadline()
    {
        var store = new MemoryOriginStore();
        store.Tenants[string.Empty] = [Acme];
        var source = new OriginSource("shared", store, Options);
        var time = new FakeTimeProvider();
        var a = await StartAsync(source, time);
        time.Advance(TimeSpan.FromSeconds(30));
        await using var b = await StartAsync(source, time);

        store.FailAfter = 0;
        time.Advance(TimeSpan.FromSeconds(30)); // 60 s: A's resync fails
        await Poll.UntilAsync(() => a.Logs.ForEvent(42).Count == 1);
        await AdvanceToNextFailedReadAsync(store, time, Options.RetryInterval); // 65 s
        await AdvanceToNextFailedReadAsync(store, time, Options.RetryInterval); // 70 s
        await a.DisposeAsync();
        Assert.Equal(OriginSourceStatus.Stale, source.Status);

        time.Advance(TimeSpan.FromSeconds(15)); // 85 s
        await Poll.UntilAsync(() => source.Status == OriginSourceStatus.FailedClosed);

        using var refused = await b.GetAsync("/plain", Acme);
        CorsAssert.Headers(refused, ("Vary", "Origin"));
        Assert.Equal((1, 0), (b.Logs.ForEvent(43).Count, b.Logs.ForEvent(42).Count));
    }

    // A fails the copy closed at 80 s (43) and stops at 81 s; the store is back. B's resync is not due until 90 s, but
    // the source must recover within RetryInterval (5 s) of A's stop, as it would have had A kept running: B takes over
    // A's retries. Before this fix the copy stayed refused until B's resync, up to ResyncInterval later.
    [Fact]
    public async Task HostThatFailedTheCopyClosedStops_OtherHostRetriesAndRecoversIt()
    {
        var store = new MemoryOriginStore();
        store.Tenants[string.Empty] = [Acme];
        var source = new OriginSource("shared", store, Options);
        var time = new FakeTimeProvider();
        var a = await StartAsync(source, time);
        time.Advance(TimeSpan.FromSeconds(30));
        await using var b = await StartAsync(source, time);

        store.FailAfter = 0;
        time.Advance(TimeSpan.FromSeconds(30)); // 60 s: A's resync fails
        await Poll.UntilAsync(() => a.Logs.ForEvent(42).Count == 1);
        for (var step = 0; step < 4; step++) // A's retries to 80 s: A fails the copy closed
        {
            await AdvanceToNextFailedReadAsync(store, time, Options.RetryInterval);
        }

        Assert.Equal((OriginSourceStatus.FailedClosed, 1), (source.Status, a.Logs.ForEvent(43).Count));
        time.Advance(TimeSpan.FromSeconds(1)); // 81 s
        await a.DisposeAsync();
        store.FailAfter = null;

        time.Advance(Options.RetryInterval); // 86 s: B's first retry
        await Poll.UntilAsync(() => source.Status == OriginSourceStatus.Current);

        using var allowed = await b.GetAsync("/plain", Acme);
        CorsAssert.Headers(allowed, ("Access-Control-Allow-Origin", Acme), ("Vary", "Origin"));
        Assert.Equal((1, 0, 0), (b.Logs.ForEvent(46).Count, b.Logs.ForEvent(42).Count, b.Logs.ForEvent(43).Count));
    }

    // A stops while the store answers: B takes nothing over, and reads the store only at its own resync (90 s).
    [Fact]
    public async Task HostStopsWhileTheStoreAnswers_OtherHostReadsOnlyAtItsResync()
    {
        var store = new MemoryOriginStore();
        store.Tenants[string.Empty] = [Acme];
        var source = new OriginSource("shared", store, Options);
        var time = new FakeTimeProvider();
        var a = await StartAsync(source, time);
        time.Advance(TimeSpan.FromSeconds(30));
        await using var b = await StartAsync(source, time);
        time.Advance(TimeSpan.FromSeconds(30)); // 60 s: A's resync
        await Poll.UntilAsync(() => source.LastReadAt == time.GetUtcNow());
        await a.DisposeAsync();
        var reads = store.FullReads;

        time.Advance(TimeSpan.FromSeconds(25)); // 85 s: five retry intervals, no resync of B
        await Task.Delay(100);
        Assert.Equal((reads, OriginSourceStatus.Current), (store.FullReads, source.Status));

        time.Advance(TimeSpan.FromSeconds(5)); // 90 s: B's resync
        await Poll.UntilAsync(() => store.FullReads == reads + 1);
        Assert.Empty(b.Logs.ForEvent(46));
    }
}

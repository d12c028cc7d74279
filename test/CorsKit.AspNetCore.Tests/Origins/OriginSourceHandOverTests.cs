using CorsKit.AspNetCore.Tests.Infrastructure;
using CorsKit.Sources;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

using static CorsKit.AspNetCore.Tests.Origins.SharedSourceHosts;

namespace CorsKit.AspNetCore.Tests.Origins;

/// <summary>
/// The hand-over of an outage (0cc7d3f): a host tracking an outage of a shared source stops, and the other hosts syncing
/// the source take over its retries and the copy's deadline. One clock for every host (as in production), MaxStaleness
/// 20 s, RetryInterval 5 s, ResyncInterval 60 s (longer than MaxStaleness, so a late resync cannot hide a missed deadline).
/// </summary>
public sealed class OriginSourceHandOverTests
{
    private static readonly OriginSourceOptions Options = new()
    {
        MaxStaleness = TimeSpan.FromSeconds(20),
        ResyncInterval = TimeSpan.FromSeconds(60),
        RetryInterval = TimeSpan.FromSeconds(5),
    };

    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    // A host whose endpoint draws from the source through an inline policy: its first read runs in the background
    // (StartInBackground) and the host serves meanwhile.
    private static Task<TestApp> StartInlineAsync(OriginSource source, TimeProvider time) =>
        TestApp.StartAsync(
            null,
            web => web.MapGet("/plain", () => "plain").WithCors(p => p.WithOriginsFrom(source)),
            before: b => b.Services.AddSingleton(time));

    private static async Task AdvanceToFailedReadAsync(HoldableOriginStore store, FakeTimeProvider time, TimeSpan by)
    {
        var failed = store.FailedReads;
        time.Advance(by);
        await Poll.UntilAsync(() => store.FailedReads > failed);
    }

    // Waits up to 2 s for what a timer or a loop does, without asserting (the assertions after it say what is wrong).
    private static async Task SettleAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(2);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
    }

    // FINDING. A reads at 0 s; the store goes down; A's resync fails at 60 s (42: the copy is stale since 60 s, refused at
    // 80 s). At 65 s B starts, its endpoint drawing from the source through an inline policy: its first read runs in the
    // background and hangs (a slow store), while B serves the copy. A stops at 65 s. B syncs the source, but its sync is
    // registered for hand-overs only once its first read has ended, so nothing takes A's deadline over. Docs
    // (scale-out.md): "the other host takes over its retries ... and the copy's deadline: the copy is still refused
    // MaxStaleness after it turned stale". What happens: at 81 s B still serves the copy, stale for 21 s, with nothing
    // logged; it is refused only when B's hung read ends (44), however late.
    [Fact]
    public async Task HostTrackingTheOutageStops_WhileOtherHostsFirstReadHangs_CopyStillRefusedAtTheDeadline()
    {
        var store = new HoldableOriginStore();
        var source = new OriginSource("shared", store, Options);
        var time = new FakeTimeProvider();
        var a = await StartAsync(source, time);
        store.Down = true;
        await AdvanceToFailedReadAsync(store, time, TimeSpan.FromSeconds(60)); // 60 s: A's resync fails
        await Poll.UntilAsync(() => a.Logs.ForEvent(42).Count == 1);
        await AdvanceToFailedReadAsync(store, time, Options.RetryInterval);   // 65 s: A's first retry

        var held = store.HoldNextRead();
        await using var b = await StartInlineAsync(source, time);
        await held.Entered.Task.WaitAsync(TimeSpan.FromSeconds(5));
        await a.DisposeAsync();

        using (var served = await b.GetAsync("/plain", Acme))
        {
            CorsAssert.Headers(served, ("Access-Control-Allow-Origin", Acme), ("Vary", "Origin"));
        }

        time.Advance(TimeSpan.FromSeconds(16)); // 81 s: stale for 21 s
        await SettleAsync(() => source.Status == OriginSourceStatus.FailedClosed);

        using var refused = await b.GetAsync("/plain", Acme);
        CorsAssert.Headers(refused, ("Vary", "Origin"));
        Assert.Equal((OriginSourceStatus.FailedClosed, 1), (source.Status, b.Logs.ForEvent(43).Count));
    }

    // FINDING. A reads at 0 s, B starts at 30 s. The store goes down; A's resync fails at 60 s (42) and A stops: B takes
    // over (retries from 65 s). The store is back at 62 s, when host C starts: C's first read makes the copy current.
    // B's retry at 65 s reads too, but the source was current already, so B, having only taken the outage over, does not
    // log 46 ("another host's read may have ended it first"); and C's read, which did end it, logs nothing either (C was
    // tracking no outage and the source was not Starting). Docs (scale-out.md, the hand-over row): "46 Information on
    // recovery"; "Redis back | ... current again | 46 Information". What happens: the process logged 42 and never 46;
    // the outage looks as if it never ended (before the hand-over, A kept retrying and logged 46 at its next retry).
    [Fact]
    public async Task HostThatTookTheOutageOverReadsAfterAnotherHostEndedIt_RecoveryLoggedOnce()
    {
        var store = new HoldableOriginStore();
        var source = new OriginSource("shared", store, Options);
        var time = new FakeTimeProvider();
        var a = await StartAsync(source, time);
        time.Advance(TimeSpan.FromSeconds(30));
        await using var b = await StartAsync(source, time);
        store.Down = true;
        await AdvanceToFailedReadAsync(store, time, TimeSpan.FromSeconds(30)); // 60 s: A's resync fails
        await Poll.UntilAsync(() => a.Logs.ForEvent(42).Count == 1);
        await a.DisposeAsync();

        store.Down = false;
        time.Advance(2 * Second); // 62 s
        await using var c = await StartAsync(source, time);
        Assert.Equal(OriginSourceStatus.Current, source.Status);

        var reads = store.FullReads;
        time.Advance(3 * Second); // 65 s: B's retry
        await Poll.UntilAsync(() => store.FullReads == reads + 1 && source.LastReadAt == time.GetUtcNow());
        await Task.Delay(100);

        using var allowed = await b.GetAsync("/plain", Acme);
        CorsAssert.Headers(allowed, ("Access-Control-Allow-Origin", Acme), ("Vary", "Origin"));
        var recovered = a.Logs.ForEvent(46).Count + b.Logs.ForEvent(46).Count + c.Logs.ForEvent(46).Count;
        Assert.Equal((1, 0), (recovered, b.Logs.ForEvent(42).Count));
    }
}

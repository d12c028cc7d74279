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
}

using CorsKit.AspNetCore.Tests.Infrastructure;
using CorsKit.Sources;
using Microsoft.Extensions.Time.Testing;

using static CorsKit.AspNetCore.Tests.Origins.SharedSourceHosts;

namespace CorsKit.AspNetCore.Tests.Origins;

/// <summary>
/// A host that notices an outage another host noticed (and logged, and marked stale) before it: the copy has been stale
/// since then, and MaxStaleness counts from then, not from this host's own notice.
/// </summary>
public sealed class OriginSourceStaleAgeTests
{
    // A reads the store at 0 s (both clocks start together). The store goes down; B starts at 0 s, keeps A's copy as
    // stale (42: "until 60 s") and stops (a short-lived host beside the app). A's resync at 30 s fails. At 60 s the copy
    // has been stale, and unread, for MaxStaleness: it must be refused. Before 8cc2fbf: A sees an already stale copy, counts
    // MaxStaleness from its own notice (42: "until 90 s") and serves it 30 s longer (ResyncInterval longer, in general).
    [Fact]
    public async Task OutageNoticedByAHostThatStopped_CopyRefusedMaxStalenessAfterItTurnedStale()
    {
        var store = new MemoryOriginStore();
        store.Tenants[string.Empty] = [Acme];
        var source = new OriginSource("shared", store, Options);
        var timeA = new FakeTimeProvider();
        await using var a = await StartAsync(source, timeA);

        store.FailAfter = 0;
        var b = await StartAsync(source, new FakeTimeProvider());
        Assert.Equal((OriginSourceStatus.Stale, 1), (source.Status, b.Logs.ForEvent(42).Count));
        await b.DisposeAsync();

        timeA.Advance(TimeSpan.FromSeconds(30));
        await Poll.UntilAsync(() => a.Logs.ForEvent(42).Count == 1);
        await FailuresHandledAsync(store, source);
        timeA.Advance(TimeSpan.FromSeconds(30));

        using var refused = await a.GetAsync("/plain", Acme);
        CorsAssert.Headers(refused, ("Vary", "Origin"));
        Assert.Equal((OriginSourceStatus.FailedClosed, 1), (source.Status, a.Logs.ForEvent(43).Count));
    }
}

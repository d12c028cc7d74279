using CorsKit.AspNetCore.Tests.Infrastructure;
using CorsKit.Sources;
using Microsoft.Extensions.Time.Testing;

using static CorsKit.AspNetCore.Tests.Origins.SharedSourceHosts;

namespace CorsKit.AspNetCore.Tests.Origins;

/// <summary>
/// Two hosts in one process syncing one source (two WebApplications, or a test host beside the app) while its store
/// fails: one host's outage must not refuse the copy the other has just read, or still serves. Each host has a clock of
/// its own, so its retry, resync and staleness timers fire only when the test moves that clock.
/// </summary>
public sealed class OriginSourceSharedOutageTests
{
    private const string Globex = "https://app.globex.example";

    // B's outage began at B's 30 s (staleness due at its 90 s); A then read the store, and lost it at A's 60 s (its own
    // staleness due at its 120 s). When B's timer fires the source is stale again, but from A's outage: a full read
    // landed since B's began, so B leaves it alone, and A fails it closed at its own deadline. (Before, B's timer saw
    // "stale" and failed closed the copy A had read 30 s before; the same check-then-fail-close let a read landing just
    // before the fail-close be refused until the next full read.)
    [Fact]
    public async Task StalenessTimer_FullReadLandedSinceTheOutageBegan_CopyServedUntilTheReadersOwnDeadline()
    {
        var (store, source, timeA, timeB, a, b) = await BLosesTheStoreThenAReadsItAsync();
        await using var hostA = a;
        await using var hostB = b;
        store.FailAfter = 0;
        timeA.Advance(TimeSpan.FromSeconds(30));
        await Poll.UntilAsync(() => a.Logs.ForEvent(42).Count == 1);
        await FailuresHandledAsync(store, source);

        timeB.Advance(TimeSpan.FromSeconds(60));

        using (var served = await a.GetAsync("/plain", Acme))
        {
            CorsAssert.Headers(served, ("Access-Control-Allow-Origin", Acme), ("Vary", "Origin"));
        }

        Assert.Equal((OriginSourceStatus.Stale, 0), (source.Status, b.Logs.ForEvent(43).Count));

        timeA.Advance(TimeSpan.FromSeconds(60));

        using var refused = await a.GetAsync("/plain", Acme);
        CorsAssert.Headers(refused, ("Vary", "Origin"));
        Assert.Equal((OriginSourceStatus.FailedClosed, 1, 0), (source.Status, a.Logs.ForEvent(43).Count, b.Logs.ForEvent(43).Count));
    }

    // B loses the store (its outage begins at its 30 s); A reads it (the copy is current again) and stops. B still cannot
    // read: the copy is as old as A's read, which B sees at its next retry (its 40 s), so B marks it stale again then
    // (Degraded, not Current) and fails it closed MaxStaleness after that (at its 100 s, or 110 s if that retry's failure
    // is handled after the clock moved on), logging 43 once and nothing more before. Before, B's outage was already logged and its one timer spent at its 90 s (a read had
    // landed), so nothing ever failed closed the copy A left current: it was served for as long as the store was down.
    [Fact]
    public async Task OtherHostReadsThenStops_CopyFailedClosedMaxStalenessAfterThisHostSawTheRead()
    {
        var (store, source, _, timeB, a, b) = await BLosesTheStoreThenAReadsItAsync();
        await using var hostB = b;
        await a.DisposeAsync();
        store.FailAfter = 0;

        // B retries every 10 s; each step waits for that retry's read to fail, so the one before it has been handled.
        for (var retry = 1; retry <= 6; retry++) // B's 40 s to 90 s
        {
            await AdvanceToNextFailedReadAsync(store, source, timeB, Options.RetryInterval);
        }

        using (var served = await b.GetAsync("/plain", Acme))
        {
            CorsAssert.Headers(served, ("Access-Control-Allow-Origin", Acme), ("Vary", "Origin"));
        }

        Assert.Equal((OriginSourceStatus.Stale, 0), (source.Status, b.Logs.ForEvent(43).Count));

        for (var retry = 1; retry <= 3; retry++) // B's 100 s to 120 s
        {
            await AdvanceToNextFailedReadAsync(store, source, timeB, Options.RetryInterval);
        }

        using var refused = await b.GetAsync("/plain", Acme);
        CorsAssert.Headers(refused, ("Vary", "Origin"));
        Assert.Equal((OriginSourceStatus.FailedClosed, 1, 1), (source.Status, b.Logs.ForEvent(43).Count, b.Logs.ForEvent(42).Count));
    }

    // A serves the source; B starts while the store is down. B keeps A's copy (stale from now: event 42, not 44) instead
    // of failing it closed, fails it closed itself after MaxStaleness (43) if nothing reads the store meanwhile, and
    // makes it current again once the store answers (46).
    [Fact]
    public async Task SecondHostStartsWhileStoreDown_CopyServedAsStale_FailsClosedAfterMaxStaleness()
    {
        var store = new MemoryOriginStore();
        store.Tenants[string.Empty] = [Acme];
        var source = new OriginSource("shared", store, Options);
        await using var a = await StartAsync(source, new FakeTimeProvider());
        var timeB = new FakeTimeProvider();

        store.FailAfter = 0;
        await using var b = await StartAsync(source, timeB);

        foreach (var host in new[] { a, b })
        {
            using var served = await host.GetAsync("/plain", Acme);
            CorsAssert.Headers(served, ("Access-Control-Allow-Origin", Acme), ("Vary", "Origin"));
        }

        var stale = Assert.Single(b.Logs.ForEvent(42));
        Assert.Equal("the database went away mid-read", stale.Exception?.Message);
        Assert.Equal((OriginSourceStatus.Stale, 0, 0), (source.Status, b.Logs.ForEvent(44).Count, b.Logs.ForEvent(43).Count));

        timeB.Advance(TimeSpan.FromSeconds(60));

        using (var refused = await a.GetAsync("/plain", Acme))
        {
            CorsAssert.Headers(refused, ("Vary", "Origin"));
        }

        Assert.Equal((OriginSourceStatus.FailedClosed, 1), (source.Status, b.Logs.ForEvent(43).Count));

        store.FailAfter = null;
        timeB.Advance(TimeSpan.FromSeconds(10));
        await Poll.UntilAsync(() => source.Status == OriginSourceStatus.Current && b.Logs.ForEvent(46).Count > 0);
        using var allowed = await a.GetAsync("/plain", Acme);
        CorsAssert.Headers(allowed, ("Access-Control-Allow-Origin", Acme), ("Vary", "Origin"));
        Assert.Single(b.Logs.ForEvent(46));
    }

    // With a snapshot configured, B starting while the store is down keeps A's copy too: the snapshot was saved at A's
    // last full read, and A has read a tenant change since (Globex), which serving the snapshot would undo.
    [Fact]
    public async Task SecondHostStartsWhileStoreDown_WithSnapshot_NewerCopyKept()
    {
        var directory = Directory.CreateTempSubdirectory("corskit-shared-outage-");
        try
        {
            var store = new MemoryOriginStore();
            store.Tenants[string.Empty] = [Acme];
            var source = new OriginSource("shared", store, new OriginSourceOptions { SnapshotPath = Path.Combine(directory.FullName, "origins.json") });
            await using var a = await StartAsync(source, new FakeTimeProvider());
            store.Set(string.Empty, Acme, Globex);
            await Poll.UntilAsync(() => source.OriginsOf(string.Empty).Count == 2);

            store.FailAfter = 0;
            await using var b = await StartAsync(source, new FakeTimeProvider());

            using var changed = await a.GetAsync("/plain", Globex);
            CorsAssert.Headers(changed, ("Access-Control-Allow-Origin", Globex), ("Vary", "Origin"));
            Assert.Equal((OriginSourceStatus.Stale, 1, 0), (source.Status, b.Logs.ForEvent(42).Count, b.Logs.ForEvent(45).Count));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}

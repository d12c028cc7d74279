using System.Globalization;
using CorsKit.AspNetCore.Tests.Infrastructure;
using CorsKit.Sources;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

using static CorsKit.AspNetCore.Tests.Origins.SharedSourceHosts;

namespace CorsKit.AspNetCore.Tests.Origins;

/// <summary>
/// Fourth attacker, on ab94ea1 (hand-over of an outage, 46 said by the host whose read ends it, disposing an app that was
/// never stopped, event 52). Hosts share one source and ONE clock: MaxStaleness 20 s, RetryInterval 5 s, ResyncInterval 60 s.
/// </summary>
public sealed class OriginSourceAttack4Tests
{
    private static readonly OriginSourceOptions Options = new()
    {
        MaxStaleness = TimeSpan.FromSeconds(20),
        ResyncInterval = TimeSpan.FromSeconds(60),
        RetryInterval = TimeSpan.FromSeconds(5),
    };

    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    private static async Task AdvanceToFailedReadAsync(HoldableOriginStore store, FakeTimeProvider time, TimeSpan by)
    {
        var failed = store.FailedReads;
        time.Advance(by);
        await Poll.UntilAsync(() => store.FailedReads > failed);
    }

    // FINDING. One clock, two hosts, nobody stops; the store is flaky (one read fails, the next answers). B starts at 0 s,
    // A at 30 s (subscribed last: a change notification reaches A). The store goes down: B's resync fails at 60 s (B: 42,
    // "serves its copy until 80 s"). The store answers at 62 s and a notification makes A read everything: A's read ends
    // the outage, A logs 46 ("current again"). The store is down again at 63 s: B's retry at 65 s fails; B is still failing
    // (its own outage, logged once), sees A's read, and marks the copy stale again from 65 s (MoveDeadline) without a
    // word. The store answers at 66 s; B's retry at 70 s reads, finds the copy Stale, and logs 46 again.
    // Promise (README/scale-out.md): 42 once per outage, 46 once per outage in the process, "no log claims what did not
    // happen". What happens: the process logs 42 once and 46 twice: the second stale period (65 s to 70 s, refused at
    // 85 s had the store stayed down) was never announced, yet its end is. At cda139e B's read at 70 s logged 46 and A's
    // at 62 s nothing (one 42, one 46); the new rule (the read that finds the copy Stale logs 46) counts B's silent
    // re-stale as an outage for 46 only.
    [Fact]
    public async Task FailingHostReStalesTheCopyAfterAnotherHostsRead_EveryRecoveryFollowsAnAnnouncedOutage()
    {
        var store = new HoldableOriginStore();
        var source = new OriginSource("shared", store, Options);
        var time = new FakeTimeProvider();
        await using var b = await StartAsync(source, time);
        time.Advance(TimeSpan.FromSeconds(30));
        await using var a = await StartAsync(source, time); // subscribed last: ChangedAll goes to A
        store.Down = true;
        await AdvanceToFailedReadAsync(store, time, TimeSpan.FromSeconds(30)); // 60 s: B's resync fails
        await Poll.UntilAsync(() => b.Logs.ForEvent(42).Count == 1);

        store.Down = false;
        time.Advance(2 * Second); // 62 s
        store.ChangedAll(); // A reads everything: the outage ends (A: 46)
        await Poll.UntilAsync(() => source.Status == OriginSourceStatus.Current);
        await Poll.UntilAsync(() => a.Logs.ForEvent(46).Count == 1);

        time.Advance(Second); // 63 s
        store.Down = true;
        await AdvanceToFailedReadAsync(store, time, 2 * Second); // 65 s: B's retry fails
        await Poll.UntilAsync(() => source.Status == OriginSourceStatus.Stale); // stale again, from 65 s

        store.Down = false;
        var reads = store.FullReads;
        time.Advance(5 * Second); // 70 s: B's retry reads
        await Poll.UntilAsync(() => store.FullReads == reads + 1 && source.Status == OriginSourceStatus.Current);
        await Task.Delay(100);

        using var allowed = await b.GetAsync("/plain", Acme);
        CorsAssert.Headers(allowed, ("Access-Control-Allow-Origin", Acme), ("Vary", "Origin"));
        var announced = a.Logs.ForEvent(42).Count + b.Logs.ForEvent(42).Count;
        var recovered = a.Logs.ForEvent(46).Count + b.Logs.ForEvent(46).Count;
        Assert.True(announced == recovered, $"42 logged {announced} time(s), 46 logged {recovered} time(s): a recovery of an outage never announced");
    }

    // A single host whose default policy draws from source, on time.
    private static Task<TestApp> StartSingleAsync(OriginSource source, TimeProvider time) =>
        TestApp.StartAsync(
            cors => cors.AddDefaultPolicy(p => p.WithOriginsFrom(source)),
            web => web.MapGet("/plain", () => "plain"),
            before: b => b.Services.AddSingleton(time));

    // Coverage that holds. A single host starts while its store is down, from a snapshot saved 5 s earlier (45: stale,
    // refused at 15 s). The store answers; the retry at 5 s reads it. Promise: a single-host app behaves as before: 45 at
    // the start, 46 at the recovery, no 40 (the start read nothing), no 42/43/44, and the retries end (no read until the
    // resync at 60 s).
    [Fact]
    public async Task SingleHost_StartsFromSnapshot_Recovers_45Then46Only_RetriesEnd()
    {
        var directory = Directory.CreateTempSubdirectory("corskit-attack4-");
        try
        {
            var path = Path.Combine(directory.FullName, "origins.json");
            var time = new FakeTimeProvider();
            var savedAt = (time.GetUtcNow() - 5 * Second).ToString("O", CultureInfo.InvariantCulture);
            await File.WriteAllTextAsync(path, $$$"""{"savedAt":"{{{savedAt}}}","tenants":{"":["{{{Acme}}}"]}}""");
            var store = new HoldableOriginStore { Down = true };
            var source = new OriginSource("single", store, new OriginSourceOptions
            {
                SnapshotPath = path,
                MaxStaleness = Options.MaxStaleness,
                ResyncInterval = Options.ResyncInterval,
                RetryInterval = Options.RetryInterval,
            });
            await using var app = await StartSingleAsync(source, time);
            Assert.Equal((OriginSourceStatus.Stale, 1), (source.Status, app.Logs.ForEvent(45).Count));

            store.Down = false;
            time.Advance(Options.RetryInterval); // 5 s: the retry reads
            await Poll.UntilAsync(() => source.Status == OriginSourceStatus.Current);
            await Poll.UntilAsync(() => app.Logs.ForEvent(46).Count == 1);
            var reads = store.FullReads;
            for (var step = 0; step < 50; step++) // to 55 s: no retry, no resync yet
            {
                time.Advance(Second);
            }

            await Task.Delay(100);
            using var allowed = await app.GetAsync("/plain", Acme);
            CorsAssert.Headers(allowed, ("Access-Control-Allow-Origin", Acme), ("Vary", "Origin"));
            Assert.Equal(
                (reads, 1, 1, 0, 0, 0, 0),
                (store.FullReads, app.Logs.ForEvent(45).Count, app.Logs.ForEvent(46).Count, app.Logs.ForEvent(40).Count, app.Logs.ForEvent(42).Count, app.Logs.ForEvent(43).Count, app.Logs.ForEvent(44).Count));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    // Coverage that holds. A single host starts while its store is down, no snapshot: refused (44). The store answers;
    // the retry at 5 s reads it. Promise: 44 at the start, 46 at the recovery, no 40, no 42/43, retries end.
    [Fact]
    public async Task SingleHost_RefusedAtStart_Recovers_44Then46Only_RetriesEnd()
    {
        var store = new HoldableOriginStore { Down = true };
        var source = new OriginSource("single", store, Options);
        var time = new FakeTimeProvider();
        await using var app = await StartSingleAsync(source, time);
        Assert.Equal((OriginSourceStatus.FailedClosed, 1), (source.Status, app.Logs.ForEvent(44).Count));

        store.Down = false;
        time.Advance(Options.RetryInterval); // 5 s
        await Poll.UntilAsync(() => source.Status == OriginSourceStatus.Current);
        await Poll.UntilAsync(() => app.Logs.ForEvent(46).Count == 1);
        var reads = store.FullReads;
        for (var step = 0; step < 50; step++) // to 55 s
        {
            time.Advance(Second);
        }

        await Task.Delay(100);
        using var allowed = await app.GetAsync("/plain", Acme);
        CorsAssert.Headers(allowed, ("Access-Control-Allow-Origin", Acme), ("Vary", "Origin"));
        Assert.Equal(
            (reads, 1, 1, 0, 0, 0),
            (store.FullReads, app.Logs.ForEvent(44).Count, app.Logs.ForEvent(46).Count, app.Logs.ForEvent(40).Count, app.Logs.ForEvent(42).Count, app.Logs.ForEvent(43).Count));
    }

    // Coverage that holds. A single host reads at 0 s (40); its resync fails at 60 s (42: refused at 80 s). The store
    // answers at 62 s and a change notification for tenant "t" comes first: the tenant's read lands (the copy stays stale)
    // and queues a full read, which makes it current. Promise: 40, 42, 46 once each, no 43; the copy served; the retries end.
    [Fact]
    public async Task SingleHost_OutageEndedByATenantsNotification_46Once_RetriesEnd()
    {
        var store = new MemoryOriginStore();
        store.Tenants[string.Empty] = [Acme];
        var source = new OriginSource("single", store, Options);
        var time = new FakeTimeProvider();
        await using var app = await StartSingleAsync(source, time);
        store.FailAfter = 0;
        await AdvanceToNextFailedReadAsync(store, time, TimeSpan.FromSeconds(60)); // 60 s
        await Poll.UntilAsync(() => app.Logs.ForEvent(42).Count == 1);

        store.FailAfter = null;
        time.Advance(2 * Second); // 62 s
        store.Set("t", "https://t.example");
        await Poll.UntilAsync(() => source.Status == OriginSourceStatus.Current);
        await Poll.UntilAsync(() => app.Logs.ForEvent(46).Count == 1);
        var reads = store.FullReads;
        for (var step = 0; step < 30; step++) // to 92 s (the resync is at 120 s)
        {
            time.Advance(Second);
        }

        await Task.Delay(100);
        using var allowed = await app.GetAsync("/plain", Acme);
        CorsAssert.Headers(allowed, ("Access-Control-Allow-Origin", Acme), ("Vary", "Origin"));
        Assert.Equal(
            (reads, 1, 1, 1, 0),
            (store.FullReads, app.Logs.ForEvent(40).Count, app.Logs.ForEvent(42).Count, app.Logs.ForEvent(46).Count, app.Logs.ForEvent(43).Count));
    }

    // Coverage that holds. In-process restart while another host tracks an outage: A (0 s) and B (30 s) on one clock; the
    // store goes down, A's resync fails at 60 s (42: refused at 80 s). At 70 s B is rebuilt in-process (B stops, B2 starts
    // while the store is down: it keeps the copy, stale since 60 s, and says so: 42 naming 80 s). A stops at 72 s and hands
    // the outage to B2. Promise: the copy is served at 79 s and refused at 80 s (43 once in the process); once the store
    // answers, B2's next retry (85 s) makes it current (46 once), and B2 reads nothing more before its resync.
    [Fact]
    public async Task InProcessRestartWhileAnotherHostTracksTheOutage_DeadlineKept_RecoveredOnce()
    {
        var store = new HoldableOriginStore();
        var source = new OriginSource("shared", store, Options);
        var time = new FakeTimeProvider();
        var a = await StartAsync(source, time);
        time.Advance(TimeSpan.FromSeconds(30));
        var b = await StartAsync(source, time);
        store.Down = true;
        await AdvanceToFailedReadAsync(store, time, TimeSpan.FromSeconds(30)); // 60 s: A's resync fails
        await Poll.UntilAsync(() => a.Logs.ForEvent(42).Count == 1);

        time.Advance(TimeSpan.FromSeconds(10)); // 70 s (A's retries at 65 s and 70 s fail)
        await b.DisposeAsync();
        await using var b2 = await StartAsync(source, time);
        Assert.Equal(time.GetUtcNow() + TimeSpan.FromSeconds(10), Assert.Single(b2.Logs.ForEvent(42)).Values["FailClosedAt"]);
        time.Advance(2 * Second); // 72 s
        await a.DisposeAsync();

        time.Advance(7 * Second); // 79 s
        using (var served = await b2.GetAsync("/plain", Acme))
        {
            CorsAssert.Headers(served, ("Access-Control-Allow-Origin", Acme), ("Vary", "Origin"));
        }

        time.Advance(Second); // 80 s
        await Poll.UntilAsync(() => source.Status == OriginSourceStatus.FailedClosed);
        using (var refused = await b2.GetAsync("/plain", Acme))
        {
            CorsAssert.Headers(refused, ("Vary", "Origin"));
        }

        store.Down = false;
        time.Advance(Second); // 81 s
        var reads = store.FullReads;
        time.Advance(4 * Second); // 85 s: B2's retry
        await Poll.UntilAsync(() => source.Status == OriginSourceStatus.Current);
        await Poll.UntilAsync(() => b2.Logs.ForEvent(46).Count == 1);
        for (var step = 0; step < 40; step++) // to 125 s (B2's resync is at 130 s)
        {
            time.Advance(Second);
        }

        await Task.Delay(100);
        using var allowed = await b2.GetAsync("/plain", Acme);
        CorsAssert.Headers(allowed, ("Access-Control-Allow-Origin", Acme), ("Vary", "Origin"));
        var errors = a.Logs.ForEvent(43).Count + b.Logs.ForEvent(43).Count + b2.Logs.ForEvent(43).Count;
        var recoveries = a.Logs.ForEvent(46).Count + b.Logs.ForEvent(46).Count + b2.Logs.ForEvent(46).Count;
        Assert.Equal((reads + 1, 1, 1), (store.FullReads, errors, recoveries));
    }
}

using System.Globalization;
using CorsKit.AspNetCore.Tests.Infrastructure;
using CorsKit.Sources;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

using static CorsKit.AspNetCore.Tests.Origins.SharedSourceHosts;

namespace CorsKit.AspNetCore.Tests.Origins;

/// <summary>
/// Hosts in one process sharing one source and ONE clock (as in production, where all use TimeProvider.System), with a
/// ResyncInterval longer than MaxStaleness (a store that fails closed quickly but is polled rarely, so a late resync cannot
/// hide a missed deadline): MaxStaleness 20 s, RetryInterval 5 s, ResyncInterval 60 s. Mostly the hand-over of an outage
/// (0cc7d3f, 4bef2f6): a host tracking an outage stops, and the other hosts syncing the source take over its retries and
/// the copy's deadline; 46 is said once per outage, by the host whose read ends it; an app disposed without a stop stops
/// its syncs.
/// </summary>
[Collection(WallClockBounds.Name)]
public sealed class OriginSourceOneClockTests
{
    private static readonly OriginSourceOptions Options = OneClockOptions;

    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    // A host whose endpoint draws from the source through an inline policy: its first read runs in the background
    // (StartInBackground) and the host serves meanwhile.
    private static Task<TestApp> StartInlineAsync(OriginSource source, TimeProvider time) =>
        TestApp.StartAsync(
            null,
            web => web.MapGet("/plain", () => "plain").WithCors(p => p.WithOriginsFrom(source)),
            before: b => b.Services.AddSingleton(time));

    // A, alone, starts at 0 s on one clock; the store goes down and A's resync fails at 60 s (A logs 42: the copy is stale
    // since 60 s, refused at 80 s).
    private static async Task<(MemoryOriginStore Store, OriginSource Source, FakeTimeProvider Time, TestApp A)> AAloneLosesTheStoreAt60Async()
    {
        var store = AcmeStore();
        var source = new OriginSource("shared", store, Options);
        var time = new FakeTimeProvider();
        var a = await StartAsync(source, time);
        store.FailAfter = 0;
        await AdvanceToNextFailedReadAsync(store, source, time, TimeSpan.FromSeconds(60));
        await Poll.UntilAsync(() => a.Logs.ForEvent(42).Count == 1);
        return (store, source, time, a);
    }

    // A starts at 0 s and B at 30 s, on one clock; the store goes down and A's resync fails at 60 s (A logs 42: the copy is
    // stale since 60 s, refused at 80 s).
    private static async Task<(MemoryOriginStore Store, OriginSource Source, FakeTimeProvider Time, TestApp A, TestApp B)> ALosesTheStoreAt60Async()
    {
        var store = AcmeStore();
        var source = new OriginSource("shared", store, Options);
        var time = new FakeTimeProvider();
        var a = await StartAsync(source, time);
        time.Advance(TimeSpan.FromSeconds(30));
        var b = await StartAsync(source, time);
        store.FailAfter = 0;
        await AdvanceToNextFailedReadAsync(store, source, time, TimeSpan.FromSeconds(30));
        await Poll.UntilAsync(() => a.Logs.ForEvent(42).Count == 1);
        return (store, source, time, a, b);
    }

    // B starts at 0 s, A at 30 s (subscribed last, so a change notification reaches A), on one clock. The store goes down
    // and B's resync fails at 60 s (B: 42); the store answers at 62 s and a notification makes A read everything: the copy
    // is current again.
    private static async Task<(MemoryOriginStore Store, OriginSource Source, FakeTimeProvider Time, TestApp A, TestApp B)> BLosesTheStoreThenAReadsItAt62Async()
    {
        var store = AcmeStore();
        var source = new OriginSource("shared", store, Options);
        var time = new FakeTimeProvider();
        var b = await StartAsync(source, time);
        time.Advance(TimeSpan.FromSeconds(30));
        var a = await StartAsync(source, time);
        store.FailAfter = 0;
        await AdvanceToNextFailedReadAsync(store, source, time, TimeSpan.FromSeconds(30));
        await Poll.UntilAsync(() => b.Logs.ForEvent(42).Count == 1);
        store.FailAfter = null;
        time.Advance(2 * Second);
        store.ChangedAll();
        await Poll.UntilAsync(() => source.Status == OriginSourceStatus.Current);
        return (store, source, time, a, b);
    }

    // A reads at 0 s; the store goes down; A's resync fails at 60 s (42: the copy is stale since 60 s, refused at 80 s).
    // At 65 s B starts, its endpoint drawing from the source through an inline policy: its first read runs in the
    // background and hangs (a slow store), while B serves the copy. A stops at 65 s: B, registered from its first read
    // on, takes the deadline over, and the copy is refused at 80 s (43). Found by the third attacker on 0cc7d3f, where B
    // was registered only once its first read ended and served the copy until then, however late.
    [Fact]
    public async Task HostTrackingTheOutageStops_WhileOtherHostsFirstReadHangs_CopyStillRefusedAtTheDeadline()
    {
        var (store, source, time, a) = await AAloneLosesTheStoreAt60Async();
        await AdvanceToNextFailedReadAsync(store, source, time, Options.RetryInterval);   // 65 s: A's first retry

        var held = store.HoldNextRead();
        await using var b = await StartInlineAsync(source, time);
        await held.Entered.Task.WaitAsync(TimeSpan.FromSeconds(5));
        await a.DisposeAsync();

        using (var served = await b.GetAsync("/plain", Acme))
        {
            CorsAssert.Headers(served, ("Access-Control-Allow-Origin", Acme), ("Vary", "Origin"));
        }

        time.Advance(TimeSpan.FromSeconds(16)); // 81 s: stale for 21 s
        await Poll.SettleAsync(() => source.Status == OriginSourceStatus.FailedClosed, TimeSpan.FromSeconds(2));

        using var refused = await b.GetAsync("/plain", Acme);
        CorsAssert.Headers(refused, ("Vary", "Origin"));
        Assert.Equal((OriginSourceStatus.FailedClosed, 1), (source.Status, b.Logs.ForEvent(43).Count));
    }

    // The window the third attacker found on ab94ea1, left open until stop 20: B's endpoint draws from the source through
    // an inline policy, and B serves before its sync of the source starts (a lifecycle service registered before CorsKit
    // takes its time in StartedAsync). A, the only host syncing the source, lost the store at 60 s (42: refused at 80 s)
    // and stops in that window, handing its outage to nobody. The copy is still refused at 80 s: the deadline is the
    // source's own, checked by every lookup. B's sync, when it starts, finds the copy too old (44), and nobody claims the
    // 43 of a host that tracked the deadline.
    [Fact]
    public async Task OnlyHostTrackingTheOutageStops_BeforeTheOtherHostsSyncStarts_CopyStillRefusedAtTheDeadline()
    {
        var (_, source, time, a) = await AAloneLosesTheStoreAt60Async();

        var beforeSync = new BeforeCorsKitStarted(async client =>
        {
            await a.DisposeAsync();
            var served = await GetPlainAsync(client);
            time.Advance(TimeSpan.FromSeconds(20) - TimeSpan.FromTicks(1));
            var stillServed = await GetPlainAsync(client);
            time.Advance(TimeSpan.FromTicks(1)); // 80 s
            return [served, stillServed, await GetPlainAsync(client), source.Status];
        });
        await using var b = await TestApp.StartAsync(
            null,
            web => web.MapGet("/plain", () => "plain").WithCors(p => p.WithOriginsFrom(source)),
            before: builder => builder.Services.AddSingleton<TimeProvider>(time).AddSingleton<IHostedService>(services => beforeSync.On(services.GetRequiredService<IServer>())));
        await Poll.UntilAsync(() => b.Logs.ForEvent(44).Count == 1);

        Assert.Equal([Acme, Acme, null, OriginSourceStatus.FailedClosed], beforeSync.Seen);
        using var refused = await b.GetAsync("/plain", Acme);
        CorsAssert.Headers(refused, ("Vary", "Origin"));
        Assert.Equal((OriginSourceStatus.FailedClosed, 0, 0), (source.Status, a.Logs.ForEvent(43).Count, b.Logs.ForEvent(43).Count));
    }

    // A reads at 0 s, B starts at 30 s. The store goes down; A's resync fails at 60 s (42) and A stops: B takes over
    // (retries from 65 s). The store is back at 62 s, when host C starts: C's first read makes the copy current and, as
    // the read that ends the outage, logs 46. B's retry at 65 s finds the copy current and logs nothing. Found by the third
    // attacker on 0cc7d3f, where nobody logged 46 (C tracked no outage; B found the copy current).
    [Fact]
    public async Task HostThatTookTheOutageOverReadsAfterAnotherHostEndedIt_RecoveryLoggedOnce()
    {
        var (store, source, time, a, hostB) = await ALosesTheStoreAt60Async();
        await using var b = hostB;
        await a.DisposeAsync();

        store.FailAfter = null;
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

    // A fails to read at 60 s (stale since 60 s, refused at 80 s) and stops at 62 s; B takes
    // over. B's own retry fails at 67 s: B logs 42 once, naming A's deadline (80 s, not 87 s), fails the copy closed at
    // 80 s (43 once in the process), reads it again at its 82 s retry once the store is back (46 once), and then stops
    // retrying (no read before its resync at 90 s). Docs: the hand-over row of scale-out.md.
    [Fact]
    public async Task HostTakesTheOutageOverThenItsOwnRetryFails_DeadlineKept_LogsOnce_RetriesEndAtRecovery()
    {
        var (store, source, time, a, hostB) = await ALosesTheStoreAt60Async();
        await using var b = hostB;
        var start = time.GetUtcNow() - TimeSpan.FromSeconds(60);
        time.Advance(2 * Second); // 62 s
        await a.DisposeAsync();

        await AdvanceToNextFailedReadAsync(store, source, time, Options.RetryInterval); // 67 s: B's first retry fails
        await Poll.UntilAsync(() => b.Logs.ForEvent(42).Count == 1);
        Assert.Equal(start + TimeSpan.FromSeconds(80), Assert.Single(b.Logs.ForEvent(42)).Values["FailClosedAt"]);
        await AdvanceToNextFailedReadAsync(store, source, time, Options.RetryInterval); // 72 s
        await AdvanceToNextFailedReadAsync(store, source, time, Options.RetryInterval); // 77 s
        time.Advance(2 * Second); // 79 s
        using (var served = await b.GetAsync("/plain", Acme))
        {
            CorsAssert.Headers(served, ("Access-Control-Allow-Origin", Acme), ("Vary", "Origin"));
        }

        time.Advance(Second); // 80 s
        await Poll.UntilAsync(() => source.Status == OriginSourceStatus.FailedClosed);
        using (var refused = await b.GetAsync("/plain", Acme))
        {
            CorsAssert.Headers(refused, ("Vary", "Origin"));
        }

        store.FailAfter = null;
        time.Advance(2 * Second); // 82 s: B's retry reads
        await Poll.UntilAsync(() => source.Status == OriginSourceStatus.Current);
        await Poll.UntilAsync(() => b.Logs.ForEvent(46).Count == 1);
        var reads = store.FullReads;
        for (var step = 0; step < 7; step++) // to 89 s
        {
            time.Advance(Second);
        }

        await Task.Delay(100);
        using var allowed = await b.GetAsync("/plain", Acme);
        CorsAssert.Headers(allowed, ("Access-Control-Allow-Origin", Acme), ("Vary", "Origin"));
        Assert.Equal((reads, 1, 0, 1, 1, 1), (store.FullReads, a.Logs.ForEvent(42).Count, a.Logs.ForEvent(43).Count, b.Logs.ForEvent(42).Count, b.Logs.ForEvent(43).Count, b.Logs.ForEvent(46).Count));
    }

    // A fails at 60 s and stops at 62 s; B takes over (its deadline: 80 s, from the full read
    // count of 62 s). The store answers at 63 s, when C starts and reads it (current); it goes down again at 64 s. B's
    // retry fails at 67 s: the copy read at 63 s is stale from then, refused at 87 s, not at A's 80 s (B's take-over
    // timer sees C's read and leaves the copy alone), and 43 is logged once. Docs: "unless a full read of the store by any
    // host syncing the source has landed since; a host still failing that sees another host's read marks the copy stale
    // again from then".
    [Fact]
    public async Task FullReadByAnotherHostAfterTheTakeOver_ThenStoreDownAgain_DeadlineFromTheNextNotice()
    {
        var (store, source, time, a, hostB) = await ALosesTheStoreAt60Async();
        await using var b = hostB;
        var start = time.GetUtcNow() - TimeSpan.FromSeconds(60);
        time.Advance(2 * Second); // 62 s
        await a.DisposeAsync();

        store.FailAfter = null;
        time.Advance(Second); // 63 s
        await using var c = await StartAsync(source, time);
        Assert.Equal(OriginSourceStatus.Current, source.Status);
        time.Advance(Second); // 64 s
        store.FailAfter = 0;

        await AdvanceToNextFailedReadAsync(store, source, time, 3 * Second); // 67 s: B's retry fails
        await Poll.UntilAsync(() => b.Logs.ForEvent(42).Count == 1);
        Assert.Equal(start + TimeSpan.FromSeconds(87), Assert.Single(b.Logs.ForEvent(42)).Values["FailClosedAt"]);
        for (var step = 0; step < 3; step++) // 72 s, 77 s, 82 s (past A's deadline)
        {
            await AdvanceToNextFailedReadAsync(store, source, time, Options.RetryInterval);
        }

        time.Advance(4 * Second); // 86 s
        using (var served = await c.GetAsync("/plain", Acme))
        {
            CorsAssert.Headers(served, ("Access-Control-Allow-Origin", Acme), ("Vary", "Origin"));
        }

        Assert.Equal(OriginSourceStatus.Stale, source.Status);
        time.Advance(Second); // 87 s
        await Poll.UntilAsync(() => source.Status == OriginSourceStatus.FailedClosed);
        using var refused = await c.GetAsync("/plain", Acme);
        CorsAssert.Headers(refused, ("Vary", "Origin"));
        Assert.Equal((1, 0), (b.Logs.ForEvent(43).Count, c.Logs.ForEvent(43).Count + a.Logs.ForEvent(43).Count));
    }

    // B's full read (a change notification at 62 s) hangs while A, which noticed the outage at
    // 60 s, stops at 63 s. B takes the deadline over though its loop is busy: the copy is refused at 80 s (43 once, by B).
    // The store answers; B's hung read then lands: current, 46 once; B's queued retry reads once more and its retries
    // end (no further read before its resync).
    [Fact]
    public async Task HostStopsWhileTheOtherHostsReadHangs_DeadlineKept_HungReadRecovers()
    {
        var store = AcmeStore();
        var source = new OriginSource("shared", store, Options);
        var time = new FakeTimeProvider();
        var a = await StartAsync(source, time);
        time.Advance(TimeSpan.FromSeconds(30));
        await using var b = await StartAsync(source, time); // subscribed last: the notification goes to B
        store.FailAfter = 0;
        await AdvanceToNextFailedReadAsync(store, source, time, TimeSpan.FromSeconds(30)); // 60 s
        await Poll.UntilAsync(() => a.Logs.ForEvent(42).Count == 1);
        time.Advance(2 * Second); // 62 s
        var held = store.HoldNextRead();
        store.ChangedAll();
        await held.Entered.Task.WaitAsync(TimeSpan.FromSeconds(5));
        time.Advance(Second); // 63 s
        await a.DisposeAsync();

        time.Advance(16 * Second); // 79 s (B's retries at 68 s and 73 s queue behind the hung read)
        Assert.Equal(OriginSourceStatus.Stale, source.Status);
        time.Advance(Second); // 80 s
        await Poll.UntilAsync(() => source.Status == OriginSourceStatus.FailedClosed);
        using (var refused = await b.GetAsync("/plain", Acme))
        {
            CorsAssert.Headers(refused, ("Vary", "Origin"));
        }

        store.FailAfter = null;
        held.Release.TrySetResult();
        await Poll.UntilAsync(() => source.Status == OriginSourceStatus.Current);
        await Poll.UntilAsync(() => b.Logs.ForEvent(46).Count == 1);
        await Task.Delay(100);
        var reads = store.FullReads;
        for (var step = 0; step < 9; step++) // to 89 s
        {
            time.Advance(Second);
        }

        await Task.Delay(100);
        using var allowed = await b.GetAsync("/plain", Acme);
        CorsAssert.Headers(allowed, ("Access-Control-Allow-Origin", Acme), ("Vary", "Origin"));
        Assert.Equal((reads, 1, 1, 0), (store.FullReads, b.Logs.ForEvent(43).Count, b.Logs.ForEvent(46).Count, b.Logs.ForEvent(42).Count));
    }

    // Three hosts: A (0 s), B (20 s), C (40 s). A notices the outage at 60 s and stops at
    // 61 s: B and C both take it over. B stops at 62 s (it tracked the outage only by the take-over: C has it already).
    // C keeps A's deadline (80 s: refused, 43 once in the process), and C alone retries: once the store answers, the
    // copy is current within RetryInterval (46 once), and C's retries end.
    [Fact]
    public async Task ChainOfStops_ThreeHosts_LastHostKeepsTheDeadlineAndRecovers()
    {
        var store = AcmeStore();
        var source = new OriginSource("shared", store, Options);
        var time = new FakeTimeProvider();
        var a = await StartAsync(source, time);
        time.Advance(TimeSpan.FromSeconds(20));
        var b = await StartAsync(source, time);
        time.Advance(TimeSpan.FromSeconds(20));
        await using var c = await StartAsync(source, time);
        store.FailAfter = 0;
        await AdvanceToNextFailedReadAsync(store, source, time, TimeSpan.FromSeconds(20)); // 60 s: A's resync
        await Poll.UntilAsync(() => a.Logs.ForEvent(42).Count == 1);
        time.Advance(Second); // 61 s
        await a.DisposeAsync();
        time.Advance(Second); // 62 s
        await b.DisposeAsync();

        var failed = store.FailedReads;
        time.Advance(4 * Second); // 66 s: C's first retry (B's went with B)
        await Poll.UntilAsync(() => store.FailedReads == failed + 1);
        await Poll.UntilAsync(() => c.Logs.ForEvent(42).Count == 1);
        await Task.Delay(100);
        Assert.Equal(failed + 1, store.FailedReads);
        for (var step = 0; step < 2; step++) // 71 s, 76 s
        {
            await AdvanceToNextFailedReadAsync(store, source, time, Options.RetryInterval);
        }

        time.Advance(3 * Second); // 79 s
        Assert.Equal(OriginSourceStatus.Stale, source.Status);
        time.Advance(Second); // 80 s
        await Poll.UntilAsync(() => source.Status == OriginSourceStatus.FailedClosed);
        using (var refused = await c.GetAsync("/plain", Acme))
        {
            CorsAssert.Headers(refused, ("Vary", "Origin"));
        }

        store.FailAfter = null;
        time.Advance(Second); // 81 s: C's retry
        await Poll.UntilAsync(() => source.Status == OriginSourceStatus.Current);
        await Poll.UntilAsync(() => c.Logs.ForEvent(46).Count == 1);
        var reads = store.FullReads;
        for (var step = 0; step < 15; step++) // to 96 s (C's resync is at 100 s)
        {
            time.Advance(Second);
        }

        await Task.Delay(100);
        using var allowed = await c.GetAsync("/plain", Acme);
        CorsAssert.Headers(allowed, ("Access-Control-Allow-Origin", Acme), ("Vary", "Origin"));
        var errors = a.Logs.ForEvent(43).Count + b.Logs.ForEvent(43).Count + c.Logs.ForEvent(43).Count;
        var recoveries = a.Logs.ForEvent(46).Count + b.Logs.ForEvent(46).Count + c.Logs.ForEvent(46).Count;
        Assert.Equal((reads, 1, 1, 0), (store.FullReads, errors, recoveries, b.Logs.ForEvent(42).Count));
    }

    // The store goes down at 50 s. A notices at 60 s (42: until 80 s: the copy is stale since 60 s) and stops at 70 s
    // (a short-lived host beside the app). At 85 s the copy has been stale for 25 s, past MaxStaleness (20 s): it must be
    // refused (docs/scale-out.md: "MaxStaleness after the copy turned stale (whichever host in the process noticed
    // first)"). Before this fix, A's staleness timer went with A and B had not failed a read yet (its resync is at 90 s),
    // so the stale copy was served past its deadline, up to ResyncInterval in general, with nothing logged.
    [Fact]
    public async Task HostThatMarkedTheCopyStaleStops_OtherHostHasNotFailedYet_CopyStillRefusedAtTheDeadline()
    {
        var (store, source, time, a, hostB) = await ALosesTheStoreAt60Async();
        await using var b = hostB;
        await AdvanceToNextFailedReadAsync(store, source, time, Options.RetryInterval); // 65 s
        await AdvanceToNextFailedReadAsync(store, source, time, Options.RetryInterval); // 70 s
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
        var (store, source, time, a, hostB) = await ALosesTheStoreAt60Async();
        await using var b = hostB;
        for (var step = 0; step < 4; step++) // A's retries to 80 s: A fails the copy closed
        {
            await AdvanceToNextFailedReadAsync(store, source, time, Options.RetryInterval);
        }

        Assert.Equal((OriginSourceStatus.FailedClosed, 1), (source.Status, a.Logs.ForEvent(43).Count));
        time.Advance(TimeSpan.FromSeconds(1)); // 81 s
        await a.DisposeAsync();
        store.FailAfter = null;

        time.Advance(Options.RetryInterval); // 86 s: B's first retry
        await Poll.UntilAsync(() => source.Status == OriginSourceStatus.Current && b.Logs.ForEvent(46).Count > 0);

        using var allowed = await b.GetAsync("/plain", Acme);
        CorsAssert.Headers(allowed, ("Access-Control-Allow-Origin", Acme), ("Vary", "Origin"));
        Assert.Equal((1, 0, 0), (b.Logs.ForEvent(46).Count, b.Logs.ForEvent(42).Count, b.Logs.ForEvent(43).Count));
    }

    // A stops while the store answers: B takes nothing over, and reads the store only at its own resync (90 s).
    [Fact]
    public async Task HostStopsWhileTheStoreAnswers_OtherHostReadsOnlyAtItsResync()
    {
        var store = AcmeStore();
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

    // One outage, two hosts, nobody stops. B starts at 0 s, A at 30 s (A subscribed last, so a change notification
    // reaches A). The store goes down; B's resync fails at 60 s (B: 42). The store is back at 62 s and a change
    // notification makes A read everything: A's read ends the outage and A logs 46. At 65 s B's retry reads too and finds
    // the copy current: B logs nothing. 46 is said once per outage in the process, by the host whose read ends it
    // (docs/scale-out.md). Found by the third attacker on 4bef2f6, where B logged 46 as well.
    [Fact]
    public async Task FailingHostReadsAfterAnotherHostEndedTheOutage_RecoveryLoggedOnceInTheProcess()
    {
        var (store, source, time, hostA, hostB) = await BLosesTheStoreThenAReadsItAt62Async();
        await using var a = hostA;
        await using var b = hostB;

        var reads = store.FullReads;
        time.Advance(3 * Second); // 65 s: B's retry reads
        await Poll.UntilAsync(() => store.FullReads == reads + 1 && source.LastReadAt == time.GetUtcNow());
        await Task.Delay(100);

        using var allowed = await b.GetAsync("/plain", Acme);
        CorsAssert.Headers(allowed, ("Access-Control-Allow-Origin", Acme), ("Vary", "Origin"));
        var recovered = a.Logs.ForEvent(46).Count + b.Logs.ForEvent(46).Count;
        Assert.Equal((1, 0, 1), (recovered, a.Logs.ForEvent(42).Count, b.Logs.ForEvent(42).Count));
    }

    // Three hosts on one clock: C starts at 0 s, A at 10 s, B at 20 s (resyncs at 60 s, 70 s,
    // 80 s). The store goes down at 65 s: A's resync fails at 70 s (42: refused at 90 s), B's at 80 s (42). At 81 s A and
    // B stop at the same moment, each handing the outage to the others (the same list, locked in turn; no lock is held
    // while taking over): nothing hangs, and C keeps the deadline: served at 89 s, refused at 90 s (43 once in the
    // process), current again at C's retry once the store answers (46 once).
    [Fact]
    public async Task TwoHostsTrackingTheOutageStopAtOnce_NoDeadlock_ThirdHostKeepsTheDeadline()
    {
        var store = AcmeStore();
        var source = new OriginSource("shared", store, Options);
        var time = new FakeTimeProvider();
        await using var c = await StartAsync(source, time);
        time.Advance(TimeSpan.FromSeconds(10));
        var a = await StartAsync(source, time);
        time.Advance(TimeSpan.FromSeconds(10));
        var b = await StartAsync(source, time);
        time.Advance(TimeSpan.FromSeconds(45)); // 65 s (C's resync at 60 s reads)
        await Poll.UntilAsync(() => store.FullReads == 4 && source.LastReadAt == time.GetUtcNow());
        store.FailAfter = 0;
        await AdvanceToNextFailedReadAsync(store, source, time, TimeSpan.FromSeconds(5)); // 70 s: A's resync fails
        await Poll.UntilAsync(() => a.Logs.ForEvent(42).Count == 1);
        for (var step = 0; step < 2; step++) // A's retries at 75 s and 80 s, B's resync at 80 s
        {
            await AdvanceToNextFailedReadAsync(store, source, time, Options.RetryInterval);
        }

        await Poll.UntilAsync(() => b.Logs.ForEvent(42).Count == 1);
        await FailuresHandledAsync(store, source);
        time.Advance(Second); // 81 s
        await Task.WhenAll(a.DisposeAsync().AsTask(), b.DisposeAsync().AsTask()).WaitAsync(TimeSpan.FromSeconds(10));

        time.Advance(8 * Second); // 89 s (C's retries at 86 s: 42 from C, naming 90 s)
        await Poll.UntilAsync(() => c.Logs.ForEvent(42).Count == 1);
        using (var served = await c.GetAsync("/plain", Acme))
        {
            CorsAssert.Headers(served, ("Access-Control-Allow-Origin", Acme), ("Vary", "Origin"));
        }

        time.Advance(Second); // 90 s
        await Poll.UntilAsync(() => source.Status == OriginSourceStatus.FailedClosed);
        using (var refused = await c.GetAsync("/plain", Acme))
        {
            CorsAssert.Headers(refused, ("Vary", "Origin"));
        }

        store.FailAfter = null;
        time.Advance(Second); // 91 s: C's retry
        await Poll.UntilAsync(() => source.Status == OriginSourceStatus.Current);
        await Poll.UntilAsync(() => c.Logs.ForEvent(46).Count == 1);
        using var allowed = await c.GetAsync("/plain", Acme);
        CorsAssert.Headers(allowed, ("Access-Control-Allow-Origin", Acme), ("Vary", "Origin"));
        var errors = a.Logs.ForEvent(43).Count + b.Logs.ForEvent(43).Count + c.Logs.ForEvent(43).Count;
        var recoveries = a.Logs.ForEvent(46).Count + b.Logs.ForEvent(46).Count + c.Logs.ForEvent(46).Count;
        Assert.Equal((1, 1), (errors, recoveries));
    }

    // An app whose endpoint draws from a source through an inline policy; its first read hangs
    // on a store that ignores cancellation. The app is disposed without being stopped, synchronously (OriginSources.Dispose,
    // as a container disposed with Dispose would), then the app itself. Docs (scale-out.md, failed-start row): "disposing the app stops its syncs as a stop would (a
    // read that ignores cancellation is left after 1 s)". What happens: the dispose returns within the grace (bounded),
    // logs 50 once, and the second dispose adds nothing.
    [Fact]
    public async Task AppDisposedSynchronouslyWithoutStop_FirstReadIgnoresCancellation_Bounded_Logs50Once()
    {
        var store = new GatedOriginStore(Acme) { IgnoresCancellation = true };
        var source = new OriginSource("hung", store, Options);
        var app = await TestApp.StartAsync(null, web => web.MapGet("/plain", () => "plain").WithCors(p => p.WithOriginsFrom(source)));
        await store.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var sources = app.App.Services.GetRequiredService<CorsKit.AspNetCore.Origins.OriginSources>();
        await Task.Run(sources.Dispose).WaitAsync(TimeSpan.FromSeconds(10)); // the container's synchronous dispose
        var took = clock.Elapsed;
        await Task.Run(((IDisposable)app.App).Dispose).WaitAsync(TimeSpan.FromSeconds(10)); // the app's, which disposes it again
        store.Release.TrySetResult();
        await Task.Delay(100);

        Assert.True(took < TimeSpan.FromSeconds(2.5), $"dispose took {took.TotalSeconds:F1} s; documented: 1 s for a read that ignores cancellation");
        Assert.Single(app.Logs.ForEvent(50));
    }

    // The store goes down at 50 s. A notices at 60 s (42: until 80 s) and fails the copy closed at 80 s (43). B first
    // fails to read at its 90 s resync. The copy is refused already; B must not claim otherwise. Before this fix: B logs 42, "it
    // serves its copy ... until 110 s, then refuses its origins", while the copy has been refused since 80 s.
    [Fact]
    public async Task HostNoticesOutageAfterAnotherFailedTheCopyClosed_DoesNotLogThatItServesIt()
    {
        var store = AcmeStore();
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
            await AdvanceToNextFailedReadAsync(store, source, time, Options.RetryInterval);
        }

        Assert.Equal((OriginSourceStatus.FailedClosed, 1), (source.Status, a.Logs.ForEvent(43).Count));
        await a.DisposeAsync();

        await AdvanceToNextFailedReadAsync(store, source, time, TimeSpan.FromSeconds(10)); // 90 s: B's resync fails
        await AdvanceToNextFailedReadAsync(store, source, time, Options.RetryInterval);   // 95 s: B's first retry, so 90 s is handled

        using var refused = await b.GetAsync("/plain", Acme);
        CorsAssert.Headers(refused, ("Vary", "Origin"));
        Assert.Equal((OriginSourceStatus.FailedClosed, 0), (source.Status, b.Logs.ForEvent(42).Count));
    }

    // One clock, two hosts, nobody stops; the store is flaky (one read fails, the next answers). B starts at 0 s, A at
    // 30 s (subscribed last: a change notification reaches A). The store goes down: B's resync fails at 60 s (B: 42). The
    // store answers at 62 s and a notification makes A read everything: A's read ends the outage (A: 46). The store is
    // down again at 63 s: B's retry at 65 s fails; B, still failing, sees A's read and marks the copy stale again from
    // 65 s (MoveDeadline) without a log. B's retry at 70 s reads and finds the copy Stale: it logs nothing, since the
    // re-stale was never logged (46 once per logged outage). Found by the fourth attacker on ab94ea1 (42 once, 46 twice).
    [Fact]
    public async Task FailingHostReStalesTheCopyAfterAnotherHostsRead_EveryRecoveryFollowsAnAnnouncedOutage()
    {
        var (store, source, time, hostA, hostB) = await BLosesTheStoreThenAReadsItAt62Async();
        await using var a = hostA;
        await using var b = hostB;
        await Poll.UntilAsync(() => a.Logs.ForEvent(46).Count == 1);

        time.Advance(Second); // 63 s
        store.FailAfter = 0;
        await AdvanceToNextFailedReadAsync(store, source, time, 2 * Second); // 65 s: B's retry fails
        await Poll.UntilAsync(() => source.Status == OriginSourceStatus.Stale); // stale again, from 65 s

        store.FailAfter = null;
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
            var store = AcmeStore();
            store.FailAfter = 0;
            var source = new OriginSource("single", store, new OriginSourceOptions
            {
                SnapshotPath = path,
                MaxStaleness = Options.MaxStaleness,
                ResyncInterval = Options.ResyncInterval,
                RetryInterval = Options.RetryInterval,
            });
            await using var app = await StartSingleAsync(source, time);
            Assert.Equal((OriginSourceStatus.Stale, 1), (source.Status, app.Logs.ForEvent(45).Count));

            store.FailAfter = null;
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
        var store = AcmeStore();
        store.FailAfter = 0;
        var source = new OriginSource("single", store, Options);
        var time = new FakeTimeProvider();
        await using var app = await StartSingleAsync(source, time);
        Assert.Equal((OriginSourceStatus.FailedClosed, 1), (source.Status, app.Logs.ForEvent(44).Count));

        store.FailAfter = null;
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
        var store = AcmeStore();
        var source = new OriginSource("single", store, Options);
        var time = new FakeTimeProvider();
        await using var app = await StartSingleAsync(source, time);
        store.FailAfter = 0;
        await AdvanceToNextFailedReadAsync(store, source, time, TimeSpan.FromSeconds(60)); // 60 s
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
        var store = AcmeStore();
        var source = new OriginSource("shared", store, Options);
        var time = new FakeTimeProvider();
        var a = await StartAsync(source, time);
        time.Advance(TimeSpan.FromSeconds(30));
        var b = await StartAsync(source, time);
        store.FailAfter = 0;
        await AdvanceToNextFailedReadAsync(store, source, time, TimeSpan.FromSeconds(30)); // 60 s: A's resync fails
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

        store.FailAfter = null;
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

    // GET /plain from Acme: the Access-Control-Allow-Origin it gets, if any.
    private static async Task<object?> GetPlainAsync(HttpClient client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/plain");
        request.Headers.TryAddWithoutValidation("Origin", Acme);
        using var response = await client.SendAsync(request);
        return response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) ? string.Join(", ", values) : null;
    }

    // A lifecycle service registered before CorsKit: its StartedAsync runs before CorsKit's, which starts the syncs of the
    // inline policies' sources, while the server already serves. It runs the test's steps there and keeps what they saw.
    private sealed class BeforeCorsKitStarted(Func<HttpClient, Task<object?[]>> steps)
    {
        public object?[] Seen { get; private set; } = [];

        private Func<HttpClient, Task<object?[]>> Steps { get; } = steps;

        public IHostedService On(IServer server) => new Service(this, server);

        private sealed class Service(BeforeCorsKitStarted owner, IServer server) : IHostedLifecycleService
        {
            public async Task StartedAsync(CancellationToken cancellationToken)
            {
                using var client = ((TestServer)server).CreateClient();
                owner.Seen = await owner.Steps(client);
            }

            public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

            public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

            public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

            public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

            public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        }
    }
}

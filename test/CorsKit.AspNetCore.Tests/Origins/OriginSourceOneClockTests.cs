using CorsKit.AspNetCore.Tests.Infrastructure;
using CorsKit.Sources;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
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
public sealed class OriginSourceOneClockTests
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

    // A starts at 0 s and B at 30 s, on one clock; the store goes down and A's resync fails at 60 s (A logs 42: the copy is
    // stale since 60 s, refused at 80 s).
    private static async Task<(HoldableOriginStore Store, OriginSource Source, FakeTimeProvider Time, TestApp A, TestApp B)> ALosesTheStoreAt60Async()
    {
        var store = new HoldableOriginStore();
        var source = new OriginSource("shared", store, Options);
        var time = new FakeTimeProvider();
        var a = await StartAsync(source, time);
        time.Advance(TimeSpan.FromSeconds(30));
        var b = await StartAsync(source, time);
        store.Down = true;
        await AdvanceToFailedReadAsync(store, time, TimeSpan.FromSeconds(30));
        await Poll.UntilAsync(() => a.Logs.ForEvent(42).Count == 1);
        return (store, source, time, a, b);
    }

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
        var (store, source, time, a, hostB) = await ALosesTheStoreAt60Async();
        await using var b = hostB;
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

        await AdvanceToFailedReadAsync(store, time, Options.RetryInterval); // 67 s: B's first retry fails
        await Poll.UntilAsync(() => b.Logs.ForEvent(42).Count == 1);
        Assert.Equal(start + TimeSpan.FromSeconds(80), Assert.Single(b.Logs.ForEvent(42)).Values["FailClosedAt"]);
        await AdvanceToFailedReadAsync(store, time, Options.RetryInterval); // 72 s
        await AdvanceToFailedReadAsync(store, time, Options.RetryInterval); // 77 s
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

        store.Down = false;
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

        store.Down = false;
        time.Advance(Second); // 63 s
        await using var c = await StartAsync(source, time);
        Assert.Equal(OriginSourceStatus.Current, source.Status);
        time.Advance(Second); // 64 s
        store.Down = true;

        await AdvanceToFailedReadAsync(store, time, 3 * Second); // 67 s: B's retry fails
        await Poll.UntilAsync(() => b.Logs.ForEvent(42).Count == 1);
        Assert.Equal(start + TimeSpan.FromSeconds(87), Assert.Single(b.Logs.ForEvent(42)).Values["FailClosedAt"]);
        for (var step = 0; step < 3; step++) // 72 s, 77 s, 82 s (past A's deadline)
        {
            await AdvanceToFailedReadAsync(store, time, Options.RetryInterval);
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
        var store = new HoldableOriginStore();
        var source = new OriginSource("shared", store, Options);
        var time = new FakeTimeProvider();
        var a = await StartAsync(source, time);
        time.Advance(TimeSpan.FromSeconds(30));
        await using var b = await StartAsync(source, time); // subscribed last: the notification goes to B
        store.Down = true;
        await AdvanceToFailedReadAsync(store, time, TimeSpan.FromSeconds(30)); // 60 s
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

        store.Down = false;
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
        var store = new HoldableOriginStore();
        var source = new OriginSource("shared", store, Options);
        var time = new FakeTimeProvider();
        var a = await StartAsync(source, time);
        time.Advance(TimeSpan.FromSeconds(20));
        var b = await StartAsync(source, time);
        time.Advance(TimeSpan.FromSeconds(20));
        await using var c = await StartAsync(source, time);
        store.Down = true;
        await AdvanceToFailedReadAsync(store, time, TimeSpan.FromSeconds(20)); // 60 s: A's resync
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
            await AdvanceToFailedReadAsync(store, time, Options.RetryInterval);
        }

        time.Advance(3 * Second); // 79 s
        Assert.Equal(OriginSourceStatus.Stale, source.Status);
        time.Advance(Second); // 80 s
        await Poll.UntilAsync(() => source.Status == OriginSourceStatus.FailedClosed);
        using (var refused = await c.GetAsync("/plain", Acme))
        {
            CorsAssert.Headers(refused, ("Vary", "Origin"));
        }

        store.Down = false;
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
        await AdvanceToFailedReadAsync(store, time, Options.RetryInterval); // 65 s
        await AdvanceToFailedReadAsync(store, time, Options.RetryInterval); // 70 s
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
            await AdvanceToFailedReadAsync(store, time, Options.RetryInterval);
        }

        Assert.Equal((OriginSourceStatus.FailedClosed, 1), (source.Status, a.Logs.ForEvent(43).Count));
        time.Advance(TimeSpan.FromSeconds(1)); // 81 s
        await a.DisposeAsync();
        store.Down = false;

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
        var store = new HoldableOriginStore();
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
        store.ChangedAll(); // A reads everything: the outage ends
        await Poll.UntilAsync(() => source.Status == OriginSourceStatus.Current);

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
        var store = new HoldableOriginStore();
        var source = new OriginSource("shared", store, Options);
        var time = new FakeTimeProvider();
        await using var c = await StartAsync(source, time);
        time.Advance(TimeSpan.FromSeconds(10));
        var a = await StartAsync(source, time);
        time.Advance(TimeSpan.FromSeconds(10));
        var b = await StartAsync(source, time);
        time.Advance(TimeSpan.FromSeconds(45)); // 65 s (C's resync at 60 s reads)
        await Poll.UntilAsync(() => store.FullReads == 4 && source.LastReadAt == time.GetUtcNow());
        store.Down = true;
        await AdvanceToFailedReadAsync(store, time, TimeSpan.FromSeconds(5)); // 70 s: A's resync fails
        await Poll.UntilAsync(() => a.Logs.ForEvent(42).Count == 1);
        for (var step = 0; step < 2; step++) // A's retries at 75 s and 80 s, B's resync at 80 s
        {
            await AdvanceToFailedReadAsync(store, time, Options.RetryInterval);
        }

        await Poll.UntilAsync(() => b.Logs.ForEvent(42).Count == 1);
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

        store.Down = false;
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

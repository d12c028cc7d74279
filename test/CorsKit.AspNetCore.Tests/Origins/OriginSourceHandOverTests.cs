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

    // HELD (coverage, passes). A fails to read at 60 s (stale since 60 s, refused at 80 s) and stops at 62 s; B takes
    // over. B's own retry fails at 67 s: B logs 42 once, naming A's deadline (80 s, not 87 s), fails the copy closed at
    // 80 s (43 once in the process), reads it again at its 82 s retry once the store is back (46 once), and then stops
    // retrying (no read before its resync at 90 s). Docs: the hand-over row of scale-out.md.
    [Fact]
    public async Task HostTakesTheOutageOverThenItsOwnRetryFails_DeadlineKept_LogsOnce_RetriesEndAtRecovery()
    {
        var store = new HoldableOriginStore();
        var source = new OriginSource("shared", store, Options);
        var time = new FakeTimeProvider();
        var start = time.GetUtcNow();
        var a = await StartAsync(source, time);
        time.Advance(TimeSpan.FromSeconds(30));
        await using var b = await StartAsync(source, time);
        store.Down = true;
        await AdvanceToFailedReadAsync(store, time, TimeSpan.FromSeconds(30)); // 60 s: A's resync fails
        await Poll.UntilAsync(() => a.Logs.ForEvent(42).Count == 1);
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

    // HELD (coverage, passes). A fails at 60 s and stops at 62 s; B takes over (its deadline: 80 s, from the full read
    // count of 62 s). The store answers at 63 s, when C starts and reads it (current); it goes down again at 64 s. B's
    // retry fails at 67 s: the copy read at 63 s is stale from then, refused at 87 s, not at A's 80 s (B's take-over
    // timer sees C's read and leaves the copy alone), and 43 is logged once. Docs: "unless a full read of the store by any
    // host syncing the source has landed since; a host still failing that sees another host's read marks the copy stale
    // again from then".
    [Fact]
    public async Task FullReadByAnotherHostAfterTheTakeOver_ThenStoreDownAgain_DeadlineFromTheNextNotice()
    {
        var store = new HoldableOriginStore();
        var source = new OriginSource("shared", store, Options);
        var time = new FakeTimeProvider();
        var start = time.GetUtcNow();
        var a = await StartAsync(source, time);
        time.Advance(TimeSpan.FromSeconds(30));
        await using var b = await StartAsync(source, time);
        store.Down = true;
        await AdvanceToFailedReadAsync(store, time, TimeSpan.FromSeconds(30)); // 60 s
        await Poll.UntilAsync(() => a.Logs.ForEvent(42).Count == 1);
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

    // HELD (coverage, passes). B's full read (a change notification at 62 s) hangs while A, which noticed the outage at
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

    // HELD (coverage, passes). Three hosts: A (0 s), B (20 s), C (40 s). A notices the outage at 60 s and stops at
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
}

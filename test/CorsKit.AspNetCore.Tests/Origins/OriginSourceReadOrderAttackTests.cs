using CorsKit.AspNetCore.Tests.Infrastructure;
using CorsKit.Sources;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

using static CorsKit.AspNetCore.Tests.Origins.SharedSourceHosts;

namespace CorsKit.AspNetCore.Tests.Origins;

/// <summary>
/// The second attacker of the read numbering (0c6e343): a full read dropped because another host's read begun later had
/// landed was treated by its host as a read that succeeded (it now reads again at once), and a stop during a named
/// policy's first read. Each test failed on 0c6e343. One clock, as in production: MaxStaleness 20 s, ResyncInterval 60 s,
/// RetryInterval 5 s.
/// </summary>
public sealed class OriginSourceReadOrderAttackTests
{
    // A starts at 0 s, B at 30 s (subscribed last: notifications reach B). At 60 s A's resync begins and is held (a slow
    // store). B reads everything on a notification (read begun after A's: A's will be dropped when it lands), then B's
    // next read fails at 60 s: 42, the copy stale since 60 s, refused at 80 s.
    private static async Task<(MemoryOriginStore Store, OriginSource Source, FakeTimeProvider Time, MemoryOriginStore.Gate Held, TestApp A, TestApp B)> AsReadHeldWhileBReadsThenLosesTheStoreAsync()
    {
        var store = AcmeStore();
        var source = new OriginSource("shared", store, OneClockOptions);
        var time = new FakeTimeProvider();
        var a = await StartAsync(source, time);
        time.Advance(TimeSpan.FromSeconds(30));
        var b = await StartAsync(source, time);

        var held = store.HoldNextRead();
        time.Advance(TimeSpan.FromSeconds(30)); // 60 s: A's resync begins, held
        await held.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10));

        store.Tenants[string.Empty] = [Acme, Other];
        store.ChangedAll(); // B reads everything: begun after A's read, lands first
        await Poll.UntilAsync(() => source.Contains(null, Other) && source.Status == OriginSourceStatus.Current);

        store.FailAfter = 0;
        store.ChangedAll(); // B's next read fails: 42, stale since 60 s
        await Poll.UntilAsync(() => b.Logs.ForEvent(42).Count == 1 && source.Status == OriginSourceStatus.Stale);
        return (store, source, time, held, a, b);
    }

    // Claim 1 with event 46. The store answers again; A's held read lands, and is dropped (B's read, begun later, landed
    // first). A's Succeeded still runs with the status it saw before (Stale), takes the outage's end and logs 46 "can read
    // its store again and is current", while the copy is still stale (nothing replaced it). B's retry at 65 s then makes
    // it current, silently (the outage's end was taken). The operator read "current" from A while the copy was stale and
    // its health check degraded. Now A reads again at once after the drop, and 46 is said once, with the copy current.
    [Fact]
    public async Task DroppedRead_DoesNotLog46_WhileTheCopyIsStillStale()
    {
        var (store, source, time, held, a, hostB) = await AsReadHeldWhileBReadsThenLosesTheStoreAsync();
        await using var aa = a;
        await using var b = hostB;

        store.FailAfter = null;
        held.Release.TrySetResult(); // A's read lands (dropped)
        await Poll.SettleAsync(() => a.Logs.ForEvent(46).Count > 0, TimeSpan.FromSeconds(2));
        var statusWhen46 = (a.Logs.ForEvent(46).Count, source.Status);

        time.Advance(TimeSpan.FromSeconds(5)); // 65 s: B's retry reads the store
        await Poll.UntilAsync(() => source.Status == OriginSourceStatus.Current);
        await Task.Delay(100);

        Assert.True(statusWhen46.Item1 == 0 || statusWhen46.Status == OriginSourceStatus.Current, $"A logged 46 ('can read its store again and is current') while the copy was {statusWhen46.Status}");
        Assert.Equal(1, a.Logs.ForEvent(46).Count + b.Logs.ForEvent(46).Count);
    }

    // Claims 1 and the hand-over. As above, but B, tracking the outage, stops at 60 s: A takes it over (retries every 5 s,
    // fails the copy closed at 80 s). The store answers again; A's held read lands and is dropped, and A's Succeeded ends
    // the outage it took over: its retries and its deadline are dropped though the copy is still stale. Nobody retries;
    // the copy is refused from 80 s by its own deadline (no 43), while the store answers, until A's resync at 120 s. Now
    // A reads again at once after the drop, and that read makes the copy current.
    [Fact]
    public async Task DroppedRead_OfAHostThatTookTheOutageOver_StillRetries_CopyNotRefusedWhileTheStoreAnswers()
    {
        var (store, source, time, held, hostA, b) = await AsReadHeldWhileBReadsThenLosesTheStoreAsync();
        await using var a = hostA;
        await b.DisposeAsync(); // B stops at 60 s: A takes the outage over

        store.FailAfter = null;
        held.Release.TrySetResult(); // A's read lands (dropped)
        await Poll.SettleAsync(() => a.Logs.ForEvent(46).Count > 0, TimeSpan.FromSeconds(2));

        for (var s = 0; s < 25; s++) // to 85 s, a second at a time: A's retries would read the store at 65 s
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(20);
        }

        await Poll.SettleAsync(() => source.Status == OriginSourceStatus.Current, TimeSpan.FromSeconds(2));

        using var response = await a.GetAsync("/plain", Acme);
        CorsAssert.Headers(response, ("Access-Control-Allow-Origin", Acme), ("Vary", "Origin"));
        Assert.Equal((OriginSourceStatus.Current, 0), (source.Status, a.Logs.ForEvent(43).Count));
    }

    // Claim 2/3 with a stop during the first read of a named policy (StartingAsync, not StartInBackground): the stop found
    // no start task to wait for (_start is a completed task), returned at once and disposed _stopping. The read, whose
    // store ignored the cancellation, landed after: ThrowIfStopped read _stopping.Token of a disposed source and threw
    // ObjectDisposedException out of the host's start. Now the stop cuts the first read short and waits for it (bounded),
    // and the start ends as canceled.
    [Fact]
    public async Task StopDuringANamedPolicysFirstRead_LateReadEndsTheStartAsCanceled_NotObjectDisposed()
    {
        var store = new GatedOriginStore(Acme) { IgnoresCancellation = true };
        var source = new OriginSource("named", store);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseTestServer();
        builder.Services.AddCorsKit(cors => cors.AddPolicy("a", p => p.WithOriginsFrom(source)));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(1));
        var web = builder.Build();
        web.UseCorsKit();
        web.MapGet("/a", () => "a");
        var starting = web.StartAsync();
        await store.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var stop = await Record.ExceptionAsync(() => web.StopAsync().WaitAsync(TimeSpan.FromSeconds(30)));
        store.Release.TrySetResult(); // the first read lands, after the stop
        var start = await Record.ExceptionAsync(() => starting.WaitAsync(TimeSpan.FromSeconds(30)));
        await web.DisposeAsync();

        Assert.Null(stop);
        Assert.IsAssignableFrom<OperationCanceledException>(start);
    }
}

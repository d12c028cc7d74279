using System.Diagnostics;
using System.Runtime.CompilerServices;
using CorsKit.AspNetCore.Tests.Infrastructure;
using CorsKit.Sources;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

using static CorsKit.AspNetCore.Tests.Origins.SharedSourceHosts;

namespace CorsKit.AspNetCore.Tests.Origins;

/// <summary>
/// What the third attacker found on fde12c1 (dropped reads read again; a stop cuts a registered policy's first read
/// short): each "true" case failed there, each control passed.
/// </summary>
public sealed class OriginSourceStopAndFirstReadAttackTests
{
    // A store whose read in flight cancels its driver's command through a callback on the read's token, and that
    // callback throws (the connection to send the cancel on is gone). StopAsync's first line, _stopping.CancelAsync(),
    // runs the callbacks on _stopToken (the loop's read's token; since fde12c1 also the linked first read's) and its task
    // faulted with their AggregateException: StopAsync threw before disposing its timers, before HandOverOutage (the
    // sync stayed registered in the source's hosts for ever, LeaveCopyStale never ran) and before ending the
    // subscription. The host's stop threw, and the last host's copy stayed Current, served for ever (a clean stop leaves
    // it stale from its last read: at 61 s, 20 s past it, refused: reported FailedClosed). The stop now goes on.
    [Theory]
    [InlineData(false)] // control: the same stop with a callback that does not throw holds
    [InlineData(true)]
    public async Task StoreWhoseCancelCallbackThrows_StopDoesNotThrow_LastHostLeavesTheCopyStale(bool callbackThrows)
    {
        var store = new CancelThrowsStore(callbackThrows);
        var source = new OriginSource("cancel-throws", store, OneClockOptions);
        var time = new FakeTimeProvider();
        var a = await TestApp.StartAsync(
            cors => cors.AddDefaultPolicy(p => p.WithOriginsFrom(source)),
            web => web.MapGet("/plain", () => "plain"),
            configure: b => b.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(1)),
            before: b => b.Services.AddSingleton<TimeProvider>(time));

        store.HoldNext();
        time.Advance(TimeSpan.FromSeconds(60)); // the resync begins, held
        await store.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var stop = await Record.ExceptionAsync(() => a.App.StopAsync().WaitAsync(TimeSpan.FromSeconds(30)));
        var status = source.Status;
        time.Advance(TimeSpan.FromSeconds(1));
        using var response = await a.GetAsync("/plain", Acme); // the test server still answers after the stop
        var allowed = response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) ? string.Join(",", values) : "(none)";
        await a.App.DisposeAsync();

        Assert.True(
            (stop, status, allowed) is (null, OriginSourceStatus.FailedClosed, "(none)"),
            $"stop threw: {stop?.GetType().Name}: {stop?.InnerException?.Message}; copy after the last host stopped: {status}; Access-Control-Allow-Origin at 61 s (last read 0 s, MaxStaleness 20 s): {allowed}");
    }

    // A store that blocks its thread in the first read (sync-over-async driver) and ignores the cancellation, read in
    // StartingAsync: ReadFirstAndLoopAsync has not returned when the stop runs, so _firstRead is still Task.CompletedTask;
    // the stop waited for nothing and logged no 50 though the read outlived the shutdown timeout and the grace. The first
    // read now starts on a thread of its own, so the stop sees it at once.
    [Fact]
    public async Task StopDuringANamedPolicysFirstRead_StoreBlocksItsThread_Logs50()
    {
        var store = new BlockingStore();
        var source = new OriginSource("blocking", store);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseTestServer();
        var logs = new LogSink();
        builder.Logging.ClearProviders().AddProvider(logs);
        builder.Services.AddCorsKit(cors => cors.AddPolicy("a", p => p.WithOriginsFrom(source)));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(1));
        var web = builder.Build();
        web.UseCorsKit();
        web.MapGet("/a", () => "a");
        var starting = Task.Run(() => web.StartAsync());
        await store.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var clock = Stopwatch.StartNew();
        var stop = await Record.ExceptionAsync(() => web.StopAsync().WaitAsync(TimeSpan.FromSeconds(30)));
        var took = clock.Elapsed;
        store.Release.Set(); // the first read lands, after the stop
        var start = await Record.ExceptionAsync(() => starting.WaitAsync(TimeSpan.FromSeconds(30)));
        await web.DisposeAsync();

        Assert.Null(stop);
        Assert.IsAssignableFrom<OperationCanceledException>(start);
        Assert.True(logs.ForEvent(50).Count == 1, $"stop took {took.TotalSeconds:F2} s while the read still ran; 50 logged {logs.ForEvent(50).Count} times");
    }

    // A host's FIRST read is dropped (B's read, begun later, landed first) and the copy has since been failed closed by
    // B (43). A's StartAsync ends on the drop (no Succeeded, no StartStaleOrClosedAsync) and the re-read, on the loop,
    // fails: Failed() logs nothing for a failed-closed copy. A host whose first read fails in the same state logs 44
    // (cannot read its store at startup, origins refused). Control: firstReadDropped = false. A dropped first read is now
    // made again in the start path, so its failure is a failure at startup (44).
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task FirstReadDropped_CopyFailedClosed_StoreDown_HostSaysSoAtStartup(bool firstReadDropped)
    {
        var store = AcmeStore();
        var source = new OriginSource("shared", store, Options);
        var timeA = new FakeTimeProvider();
        var timeB = new FakeTimeProvider();
        await using var b = await StartAsync(source, timeB);

        var first = store.HoldNextRead();
        var starting = StartAsync(source, timeA); // A's first read begins, held
        await first.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10));

        timeB.Advance(TimeSpan.FromSeconds(30)); // B's resync, begun after A's read, lands: current
        await Poll.UntilAsync(() => store.FullReads == 3 && source.Status == OriginSourceStatus.Current && source.LastReadAt == timeB.GetUtcNow());
        store.FailAfter = 0;
        await AdvanceToNextFailedReadAsync(store, source, timeB, TimeSpan.FromSeconds(30)); // 42 by B
        timeB.Advance(TimeSpan.FromSeconds(60)); // B's deadline: 43, failed closed
        await Poll.UntilAsync(() => b.Logs.ForEvent(43).Count == 1);
        await Task.Delay(100);

        var failedBefore = store.FailedReads;
        if (firstReadDropped)
        {
            store.FailAfter = null;
            var again = store.HoldNextRead();
            first.Release.TrySetResult(); // A's first read lands: dropped
            await again.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10)); // A's read again, held
            store.FailAfter = 0;
            again.Release.TrySetResult(); // and fails
        }
        else
        {
            first.Release.TrySetResult(); // A's first read fails
        }

        await using var a = await starting;
        await Poll.UntilAsync(() => store.FailedReads > failedBefore);
        await Task.Delay(200);

        using var response = await a.GetAsync("/plain", Acme);
        CorsAssert.Headers(response, ("Vary", "Origin"));
        Assert.Equal(OriginSourceStatus.FailedClosed, source.Status);
        var said = new[] { 40, 42, 43, 44, 45, 46 }.Select(e => $"{e}:{a.Logs.ForEvent(e).Count}");
        Assert.True(a.Logs.ForEvent(44).Count == 1, $"A started with its source refusing every origin; A logged {string.Join(" ", said)}");
    }

    private sealed class CancelThrowsStore(bool callbackThrows) : IOriginStore
    {
        private volatile bool _hold;

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void HoldNext() => _hold = true;

        public async IAsyncEnumerable<TenantOrigins> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            if (_hold)
            {
                _hold = false;
                using var cancelCommand = cancellationToken.Register(() =>
                {
                    if (callbackThrows)
                    {
                        throw new InvalidOperationException("the connection to send the cancel on is gone");
                    }
                });
                Entered.TrySetResult();
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            await Task.Yield();
            yield return new TenantOrigins(string.Empty, [Acme]);
        }

        public Task<IReadOnlyCollection<string>> ListAsync(string tenant, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyCollection<string>>([Acme]);

        public Task<IAsyncDisposable?> WatchAsync(Action<string?> changed, CancellationToken cancellationToken) =>
            Task.FromResult<IAsyncDisposable?>(null);
    }

    private sealed class BlockingStore : IOriginStore
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ManualResetEventSlim Release { get; } = new();

        public async IAsyncEnumerable<TenantOrigins> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            Entered.TrySetResult();
            Release.Wait(CancellationToken.None); // a driver's synchronous call, deaf to the token
            await Task.Yield();
            yield return new TenantOrigins(string.Empty, [Acme]);
        }

        public Task<IReadOnlyCollection<string>> ListAsync(string tenant, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyCollection<string>>([]);

        public Task<IAsyncDisposable?> WatchAsync(Action<string?> changed, CancellationToken cancellationToken) =>
            Task.FromResult<IAsyncDisposable?>(null);
    }
}

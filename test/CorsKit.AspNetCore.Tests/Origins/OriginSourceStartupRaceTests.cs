using CorsKit.AspNetCore.Tests.Infrastructure;
using CorsKit.Sources;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

using static CorsKit.AspNetCore.Tests.Origins.SharedSourceHosts;

namespace CorsKit.AspNetCore.Tests.Origins;

/// <summary>
/// A second host that cannot read the store at startup while another host's first read is still under way: whichever
/// lands first, the copy must get a deadline once no host reads the store any more.
/// </summary>
[Collection(WallClockBounds.Name)]
public sealed class OriginSourceStartupRaceTests
{
    // A's first read (an inline policy's, in the background) is under way when B starts and cannot read the store: B
    // fails the source closed (44). A's read lands just after (the copy is current; here, while B logs 44), then A stops.
    // The store stays down: B's retries fail every 10 s. The copy A read must be refused MaxStaleness after that (by B's
    // 80 s at the latest: its first failed retry, at 10 s, plus 60 s, plus a retry). Before 8cc2fbf: B took the source's full-read
    // count after A's read landed, so it never sees a read "since its outage began", its outage had no stale copy to put
    // a deadline on, and the copy stays Current and served for ever (no 42, no 43) while no host can read the store.
    [Fact]
    public async Task OtherHostsFirstReadLandsAsThisHostFailsClosedAtStartup_CopyStillGetsADeadline()
    {
        var store = new FirstReadHeldStore();
        var source = new OriginSource("shared", store, Options);
        var a = await TestApp.StartAsync(
            null,
            web => web.MapGet("/plain", () => "plain").WithCors(p => p.WithOriginsFrom(source)),
            before: b => b.Services.AddSingleton<TimeProvider>(new FakeTimeProvider()));
        await store.FirstEntered.Task.WaitAsync(TimeSpan.FromSeconds(5));

        var timeB = new FakeTimeProvider();
        var onUnavailable = new HookProvider(44, () =>
        {
            store.FirstRelease.TrySetResult();
            SpinWait.SpinUntil(() => source.Status == OriginSourceStatus.Current, TimeSpan.FromSeconds(5));
        });
        await using var b = await TestApp.StartAsync(
            cors => cors.AddDefaultPolicy(p => p.WithOriginsFrom(source)),
            web => web.MapGet("/plain", () => "plain"),
            before: builder =>
            {
                builder.Services.AddSingleton<TimeProvider>(timeB);
                builder.Logging.AddProvider(onUnavailable);
            });
        Assert.Equal((OriginSourceStatus.Current, 1), (source.Status, b.Logs.ForEvent(44).Count));
        await a.DisposeAsync();

        for (var seconds = 10; seconds <= 120; seconds += 10)
        {
            var failed = store.FailedReads;
            timeB.Advance(Options.RetryInterval);
            await Poll.UntilAsync(() => store.FailedReads > failed);
        }

        await Task.Delay(100);
        using var refused = await b.GetAsync("/plain", Acme);
        CorsAssert.Headers(refused, ("Vary", "Origin"));
        Assert.Equal((OriginSourceStatus.FailedClosed, 1), (source.Status, b.Logs.ForEvent(43).Count));
    }

    // Runs an action, on the logging thread, when a CorsKit event is logged.
    private sealed class HookProvider(int eventId, Action action) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Hook(categoryName, eventId, action);

        public void Dispose()
        {
        }

        private sealed class Hook(string category, int eventId, Action action) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId id, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (id.Id == eventId && category.StartsWith("CorsKit", StringComparison.Ordinal))
                {
                    action();
                }
            }
        }
    }
}

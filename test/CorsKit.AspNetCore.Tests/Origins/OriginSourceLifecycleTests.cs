using System.Runtime.CompilerServices;
using CorsKit.AspNetCore.Origins;
using CorsKit.AspNetCore.Tests.Infrastructure;
using CorsKit.Sources;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace CorsKit.AspNetCore.Tests.Origins;

/// <summary>
/// The life of a source read in the background (an inline endpoint policy's): stores that ignore or wrap their
/// cancellation, fail synchronously, or are slow, against the host's stop, the logs and the health check.
/// </summary>
[Collection(WallClockBounds.Name)]
public sealed class OriginSourceLifecycleTests
{
    private const string Acme = "https://app.acme.example";

    // A store that does not answer and ignores its token: the host's stop gives up at its shutdown timeout and says so
    // (event 50).
    [Fact]
    public async Task InlineStoreIgnoresCancellation_HostStopHonoursShutdownTimeout_Logged()
    {
        var store = new GatedOriginStore(Acme) { IgnoresCancellation = true };
        var source = new OriginSource("inline-deaf", store);
        var app = await TestApp.StartAsync(
            null,
            web => web.MapGet("/inline", () => "x").WithCors(p => p.WithOriginsFrom(source)),
            configure: b => b.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(1)));
        await store.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var stop = app.App.StopAsync();
        var finished = await Task.WhenAny(stop, Task.Delay(TimeSpan.FromSeconds(10))) == stop;
        store.Release.TrySetResult();
        try
        {
            Assert.True(finished, "host StopAsync did not return within 10 s (ShutdownTimeout 1 s)");
            Assert.Single(app.Logs.ForEvent(50));
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    // A store that reports a cut-short read with its own exception (drivers often wrap cancellation): an ordinary stop,
    // not a store failure, so no event 44 and no fail-closed.
    [Fact]
    public async Task InlineStoreWrapsCancellation_NoStartupFailureLoggedOnStop()
    {
        var store = new WrappingStore();
        var source = new OriginSource("inline-wrap", store);
        var app = await TestApp.StartAsync(null, web => web.MapGet("/inline", () => "x").WithCors(p => p.WithOriginsFrom(source)));
        await store.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));

        await app.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Empty(app.Logs.ForEvent(44));
        Assert.Equal(OriginSourceStatus.Starting, source.Status);
    }

    // While an inline source's first read is under way, the health check is Unhealthy (its origins are refused) and
    // says the source is not read yet, not that its store cannot be read.
    [Fact]
    public async Task HealthWhileInlineSourceStarting_UnhealthyNotReadYet()
    {
        var store = new GatedOriginStore(Acme) { IgnoresCancellation = true };
        var source = new OriginSource("inline-slow", store);
        var app = await TestApp.StartAsync(
            null,
            web => web.MapGet("/inline", () => "x").WithCors(p => p.WithOriginsFrom(source)),
            configure: b => b.Services.AddHealthChecks().AddCorsKitOriginSources());
        try
        {
            await store.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
            var report = await app.App.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
            var entry = Assert.Single(report.Entries).Value;
            Assert.Equal(HealthStatus.Unhealthy, entry.Status);
            Assert.Equal("an origin source refuses its origins until its first read ends (not read yet)", entry.Description);
        }
        finally
        {
            store.Release.TrySetResult();
            await app.DisposeAsync();
        }
    }

    // A store whose ListAsync throws synchronously, and whose WatchAsync faults, in the background path: logged (44),
    // fail closed, retried until it answers.
    [Fact]
    public async Task InlineStoreThrowsSynchronously_LoggedFailClosedThenRetried()
    {
        var store = new SyncThrowingStore { Throw = true };
        var time = new FakeTimeProvider();
        var source = new OriginSource("inline-throw", store, new OriginSourceOptions { RetryInterval = TimeSpan.FromSeconds(5) });
        await using var app = await TestApp.StartAsync(
            null,
            web => web.MapGet("/inline", () => "x").WithCors(p => p.WithOriginsFrom(source)),
            before: b => b.Services.AddSingleton<TimeProvider>(time));
        await Poll.UntilAsync(() => source.Status == OriginSourceStatus.FailedClosed && OriginSourceSync.FailedReadsHandled(source) == 1);
        Assert.Single(app.Logs.ForEvent(44));
        using (var refused = await app.GetAsync("/inline", Acme))
        {
            CorsAssert.Headers(refused, ("Vary", "Origin"));
        }

        store.Throw = false;
        time.Advance(TimeSpan.FromSeconds(5));
        await Poll.UntilAsync(() => source.Status == OriginSourceStatus.Current);
        using var allowed = await app.GetAsync("/inline", Acme);
        CorsAssert.Headers(allowed, ("Access-Control-Allow-Origin", Acme), ("Vary", "Origin"));
    }

    // null refused when the policy does not list it, whatever odd entries the source holds.
    [Theory]
    [InlineData("null")]
    [InlineData("NULL")]
    [InlineData("Null")]
    [InlineData(" null")]
    [InlineData("null ")]
    public async Task NullOrigin_SourceHoldsOddEntry_Refused(string entry)
    {
        var store = new MemoryOriginStore();
        store.Tenants[string.Empty] = [entry, Acme];
        var source = new OriginSource("odd", store);
        await using var app = await TestApp.StartAsync(cors => cors.AddDefaultPolicy(p => p.WithOriginsFrom(source)), web => web.MapGet("/plain", () => "x"));
        foreach (var origin in new[] { "null", "NULL", "Null", entry })
        {
            using var response = await app.GetAsync("/plain", origin);
            Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"), $"{origin} allowed with entry '{entry}'");
        }
    }

    // Endpoints with Microsoft's RequireCors(policy) beside an inline CorsKit policy: scanning them at start is harmless.
    [Fact]
    public async Task MicrosoftPolicyEndpoints_StartAndServe()
    {
        await using var app = await TestApp.StartAsync(
            null,
            web =>
            {
                web.MapGet("/ms", () => "x").RequireCors(p => p.WithOrigins(Acme));
                web.MapGet("/inl", () => "x").WithCors(p => p.WithOrigins(Acme));
            },
            configure: b => b.Services.AddCors(o => o.AddPolicy("ms", p => p.WithOrigins(Acme))));
        using var response = await app.GetAsync("/ms", Acme);
        CorsAssert.Headers(response, ("Access-Control-Allow-Origin", Acme), ("Vary", "Origin"));
    }

    // An open streaming request keeps Kestrel draining until the shutdown timeout, and the host then hands the same,
    // spent, token to the sources' stop. A sync whose loop ends as told is still waited for (a short grace): no event 50,
    // and its store subscription is disposed. (Found by an attacker: before, both went wrong for every source.)
    [Fact]
    public async Task ShutdownTimeoutSpentDrainingOpenRequest_NoFalseEvent50_SubscriptionDisposed()
    {
        var store = new WatchedOriginStore(Acme);
        var source = new OriginSource("named", store);
        var streaming = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var app = await TestApp.StartAsync(
            cors => cors.AddDefaultPolicy(p => p.WithOriginsFrom(source)),
            web => web.MapGet("/stream", async (HttpContext c) =>
            {
                await c.Response.WriteAsync("event: hello\n\n");
                await c.Response.Body.FlushAsync();
                streaming.TrySetResult();
                await Task.Delay(Timeout.Infinite, c.RequestAborted);
            }),
            configure: b => b.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(1)),
            kestrel: true);
        using var open = new HttpClient { BaseAddress = app.Client.BaseAddress };
        var stream = open.GetAsync("/stream", HttpCompletionOption.ResponseHeadersRead);
        await streaming.Task.WaitAsync(TimeSpan.FromSeconds(30));

        await app.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        try
        {
            (await stream).Dispose();
        }
        catch (HttpRequestException)
        {
            // aborted by the shutdown
        }

        Assert.Equal((0, true), (app.Logs.ForEvent(50).Count, store.Unsubscribed));
    }

    private sealed class WrappingStore : IOriginStore
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async IAsyncEnumerable<TenantOrigins> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            Entered.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException ex)
            {
                throw new InvalidOperationException("connection closed", ex);
            }

            yield break;
        }

        public Task<IReadOnlyCollection<string>> ListAsync(string tenant, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyCollection<string>>([]);

        public Task<IAsyncDisposable?> WatchAsync(Action<string?> changed, CancellationToken cancellationToken) => Task.FromResult<IAsyncDisposable?>(null);
    }

    private sealed class SyncThrowingStore : IOriginStore
    {
        public volatile bool Throw;

        public IAsyncEnumerable<TenantOrigins> ListAsync(CancellationToken cancellationToken) =>
            Throw ? throw new InvalidOperationException("sync boom") : Yield();

        public Task<IReadOnlyCollection<string>> ListAsync(string tenant, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyCollection<string>>([]);

        public Task<IAsyncDisposable?> WatchAsync(Action<string?> changed, CancellationToken cancellationToken) =>
            Task.FromException<IAsyncDisposable?>(new InvalidOperationException("watch faulted"));

        private static async IAsyncEnumerable<TenantOrigins> Yield()
        {
            await Task.Yield();
            yield return new TenantOrigins(string.Empty, [Acme]);
        }
    }
}

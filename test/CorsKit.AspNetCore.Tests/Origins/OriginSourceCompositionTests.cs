using System.Diagnostics.Metrics;
using CorsKit.AspNetCore.Origins;
using CorsKit.AspNetCore.Tests.Infrastructure;
using CorsKit.AspNetCore.Tests.Metrics;
using CorsKit.Sources;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace CorsKit.AspNetCore.Tests.Origins;

/// <summary>
/// Origin sources the way apps compose them: inline endpoint and route-group policies, branches, two hosts sharing one
/// source, a store that is slow or down at startup; and which requests the lookups counter counts.
/// </summary>
public sealed class OriginSourceCompositionTests
{
    private const string Acme = "https://app.acme.example";
    private const string Globex = "https://app.globex.example";

    // The policy's exact entries and null are checked before the source; its wildcards after, so an origin a wildcard
    // allows was first a miss of the source, and is counted as one (README, Metrics).
    [Fact]
    public async Task OriginAllowedByPolicysOwnWildcard_CountedAsSourceMiss()
    {
        var store = new MemoryOriginStore();
        store.Tenants[string.Empty] = [Globex];
        var source = new OriginSource("customers", store);
        await using var app = await TestApp.StartAsync(
            cors => cors.AddDefaultPolicy(p => p.WithOrigins("https://*.acme.example").SetIsOriginAllowedToAllowWildcardSubdomains().WithOriginsFrom(source)),
            web => web.MapGet("/plain", () => "x"));
        using var lookups = new MetricCollector<long>(app.App.Services.GetRequiredService<IMeterFactory>(), "CorsKit", "corskit.origin_source.lookups");

        using var allowed = await app.GetAsync("/plain", Acme);

        CorsAssert.Headers(allowed, ("Access-Control-Allow-Origin", Acme), ("Vary", "Origin"));
        MetricsAssert.One(lookups, 1L, ("corskit.origin_source.lookup", "miss"), ("corskit.origin_source.name", "customers"));
    }

    // A source never holds null: the policy's null entry answers first, and the source is not asked.
    [Fact]
    public async Task NullOriginAllowedByPolicysOwnList_NotLookedUp()
    {
        var store = new MemoryOriginStore();
        store.Tenants[string.Empty] = [Globex];
        var source = new OriginSource("customers", store);
        await using var app = await TestApp.StartAsync(
            cors => cors.AddDefaultPolicy(p => p.WithOrigins("null").WithOriginsFrom(source)),
            web => web.MapGet("/plain", () => "x"));
        using var lookups = new MetricCollector<long>(app.App.Services.GetRequiredService<IMeterFactory>(), "CorsKit", "corskit.origin_source.lookups");

        using var allowed = await app.GetAsync("/plain", "null");

        Assert.Equal("null", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal([], MetricsAssert.Lines(lookups));
    }

    // One OriginSource instance in two hosts: each host counts the source's lookups while it syncs it (the source cannot
    // tell whose request asked), and one host stopping does not stop the other's counting.
    [Fact]
    public async Task TwoHostsShareOneSource_EachCountsWhileItRuns_NoneLostWhenOneStops()
    {
        var store = new MemoryOriginStore();
        store.Tenants[string.Empty] = [Acme];
        var source = new OriginSource("shared", store);
        await using var a = await TestApp.StartAsync(cors => cors.AddDefaultPolicy(p => p.WithOriginsFrom(source)), web => web.MapGet("/plain", () => "a"));
        using var lookupsA = new MetricCollector<long>(a.App.Services.GetRequiredService<IMeterFactory>(), "CorsKit", "corskit.origin_source.lookups");
        var b = await TestApp.StartAsync(cors => cors.AddDefaultPolicy(p => p.WithOriginsFrom(source)), web => web.MapGet("/plain", () => "b"));
        using var lookupsB = new MetricCollector<long>(b.App.Services.GetRequiredService<IMeterFactory>(), "CorsKit", "corskit.origin_source.lookups");

        using (var r = await a.GetAsync("/plain", Acme))
        {
            CorsAssert.Headers(r, ("Access-Control-Allow-Origin", Acme), ("Vary", "Origin"));
        }

        var onB = MetricsAssert.Lines(lookupsB);
        await b.DisposeAsync();
        using (var r = await a.GetAsync("/plain", Acme))
        {
            CorsAssert.Headers(r, ("Access-Control-Allow-Origin", Acme), ("Vary", "Origin"));
        }

        Assert.Equal(
            "A: [1 corskit.origin_source.lookup=hit corskit.origin_source.name=shared, 1 corskit.origin_source.lookup=hit corskit.origin_source.name=shared] B: [1 corskit.origin_source.lookup=hit corskit.origin_source.name=shared]",
            $"A: [{string.Join(", ", MetricsAssert.Lines(lookupsA))}] B: [{string.Join(", ", onB)}]");
    }

    // A route group's inline policy overridden by every endpoint of the group: no request can use the source, so it is
    // not read, and its failing store does not turn the health check Unhealthy.
    [Fact]
    public async Task InlineSourceNoEndpointUses_NotReadAndHealthy()
    {
        var store = new MemoryOriginStore { FailAfter = 0 };
        store.Tenants["x"] = [Acme];
        var unused = new OriginSource("overridden", store);
        await using var app = await TestApp.StartAsync(
            cors => cors.AddPolicy("public", p => p.WithOrigins(Acme)),
            web =>
            {
                var group = web.MapGroup("/api").WithCors(p => p.WithOriginsFrom(unused));
                group.MapGet("/a", () => "a").WithCors("public");
                group.MapGet("/b", () => "b").WithoutCors();
            },
            configure: b => b.Services.AddHealthChecks().AddCorsKitOriginSources());

        using var response = await app.GetAsync("/api/a", Acme);
        CorsAssert.Headers(response, ("Access-Control-Allow-Origin", Acme), ("Vary", "Origin"));
        var report = await app.App.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.Equal("Healthy", $"{report.Status}{string.Concat(report.Entries.SelectMany(e => e.Value.Data).Select(d => $" {d.Key}={d.Value}"))}");
        Assert.Empty(app.App.Services.GetRequiredService<OriginSources>().Syncs);
        Assert.Equal(OriginSourceStatus.Starting, unused.Status);
    }

    // An inline-only source's first read runs in the background: a store that does not answer holds back neither the
    // host's start nor requests (its origins are refused until the read ends, then allowed).
    [Fact]
    public async Task InlineOnlyStoreSlowAtStartup_HostStartsAtOnce_OriginsAllowedOnceRead()
    {
        var store = new GatedOriginStore(Acme);
        var source = new OriginSource("inline-slow", store);
        await using var app = await TestApp.StartAsync(null, web => web.MapGet("/inline", () => "x").WithCors(p => p.WithOriginsFrom(source)))
            .WaitAsync(TimeSpan.FromSeconds(30));
        await store.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));

        using (var refused = await app.GetAsync("/inline", Acme))
        {
            CorsAssert.Headers(refused, ("Vary", "Origin"));
        }

        Assert.Equal(OriginSourceStatus.Starting, source.Status);
        store.Release.TrySetResult();
        await Poll.UntilAsync(() => source.Status == OriginSourceStatus.Current);
        using var allowed = await app.GetAsync("/inline", Acme);
        CorsAssert.Headers(allowed, ("Access-Control-Allow-Origin", Acme), ("Vary", "Origin"));
    }

    // Stopped while the first read of an inline-only source still waits on its store: the host stops, the read is cut
    // short, and nothing of it is left running.
    [Fact]
    public async Task InlineOnlyStoreNeverAnswers_HostStopsCleanly()
    {
        var store = new GatedOriginStore(Acme);
        var source = new OriginSource("inline-hung", store);
        var app = await TestApp.StartAsync(null, web => web.MapGet("/inline", () => "x").WithCors(p => p.WithOriginsFrom(source)));
        await store.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));

        await app.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(OriginSourceStatus.Starting, source.Status);
        Assert.True(store.Cancelled);
    }

    // A source only a policy provider's policies draw from is not read (sources are read from named and endpoint
    // policies): its origins are refused, and the first such policy the provider returns says so (event 51, once).
    [Fact]
    public async Task ProviderOnlySource_NotRead_RefusedAndWarnedOnce()
    {
        var store = new CountingStore();
        store.Inner.Tenants[string.Empty] = [Acme];
        var source = new OriginSource("provided", store);
        await using var app = await StartWithProviderAsync(source);

        for (var i = 0; i < 3; i++)
        {
            using var refused = await app.GetAsync("/data", Acme);
            CorsAssert.Headers(refused, ("Vary", "Origin"));
            Assert.Equal("payload", await refused.Content.ReadAsStringAsync());
        }

        Assert.Equal((OriginSourceStatus.Starting, 0), (source.Status, store.FullReads));
        var warning = Assert.Single(app.Logs.ForEvent(51));
        Assert.Equal((LogLevel.Warning, "tenants", "provided"), (warning.Level, warning.Values["Provider"], warning.Values["Source"]));
    }

    // A source a host read and then stopped syncing (it stopped) keeps its copy: a provider's policy in another host of
    // the process is served from it, not refused, so event 51 ("its origins are refused") would claim what does not
    // happen. Event 52 says what does. Nothing keeps the copy current: it is stale from its last read (the last host
    // syncing it marked it so as it stopped), and refused MaxStaleness (5 min) later. Before that mark (stop 20) it was
    // served as it was for ever, an origin revoked in the store meanwhile included.
    [Fact]
    public async Task ProviderOnlySource_LeftByAStoppedHost_ServedUntilMaxStalenessAfterItsLastRead()
    {
        var store = new CountingStore();
        store.Inner.Tenants[string.Empty] = [Acme];
        var source = new OriginSource("left", store);
        var time = new FakeTimeProvider();
        var reader = await TestApp.StartAsync(cors => cors.AddPolicy("named", p => p.WithOriginsFrom(source)), web => web.MapGet("/x", () => "x"), before: b => b.Services.AddSingleton<TimeProvider>(time));
        var readAt = time.GetUtcNow();
        time.Advance(TimeSpan.FromSeconds(20)); // stops before its first resync (30 s)
        await reader.DisposeAsync();
        await using var app = await StartWithProviderAsync(source);

        using var allowed = await app.GetAsync("/data", Acme);
        var leftStale = source.Status;
        time.Advance(TimeSpan.FromSeconds(280)); // 5 min after the read, not after the stop
        using var refused = await app.GetAsync("/data", Acme);

        CorsAssert.Headers(allowed, ("Access-Control-Allow-Origin", Acme), ("Vary", "Origin"));
        CorsAssert.Headers(refused, ("Vary", "Origin"));
        Assert.Equal("payload", await refused.Content.ReadAsStringAsync());
        Assert.Equal(OriginSourceStatus.Stale, leftStale);
        Assert.Equal((OriginSourceStatus.FailedClosed, 1), (source.Status, store.FullReads));
        Assert.Empty(app.Logs.ForEvent(51));
        var warning = Assert.Single(app.Logs.ForEvent(52));
        Assert.Equal(
            (LogLevel.Warning, "tenants", "left", (object?)readAt, (object?)(readAt + TimeSpan.FromMinutes(5))),
            (warning.Level, warning.Values["Provider"], warning.Values["Source"], warning.Values["LastReadAt"], warning.Values["RefusedFrom"]));
    }

    // The same source drawn from by a named policy too is read at startup and serves the provider's policy: no warning.
    [Fact]
    public async Task ProviderSourceAlsoNamed_ReadAtStartup_AllowedWithoutWarning()
    {
        var store = new CountingStore();
        store.Inner.Tenants[string.Empty] = [Acme];
        var source = new OriginSource("shared", store);
        await using var app = await StartWithProviderAsync(source, cors => cors.AddPolicy("named", p => p.WithOriginsFrom(source)));

        using var allowed = await app.GetAsync("/data", Acme);

        CorsAssert.Headers(allowed, ("Access-Control-Allow-Origin", Acme), ("Vary", "Origin"));
        Assert.Equal(1, store.FullReads);
        Assert.Empty(app.Logs.ForEvent(51));
    }

    // The server serves from the end of the hosted services' StartAsync, but an inline endpoint policy's (or a
    // UseCorsKit(p => ...) default's) source is added to the syncs only in OriginSources.StartedAsync. A request
    // answered in between (a load balancer's first probe; here: a lifecycle service registered before AddCorsKit)
    // makes event 51 claim "no registered or endpoint policy of a running host draws from it", which is false, and the
    // once-per-provider latch is spent on it.
    [Fact]
    public async Task ProviderSourceAlsoInlineEndpointPolicys_RequestBeforeStarted_NoEvent51()
    {
        var store = new MemoryOriginStore();
        store.Tenants[string.Empty] = [Acme];
        var source = new OriginSource("shared-inline", store);
        var policy = new global::CorsKit.Policies.CorsPolicyBuilder().WithOriginsFrom(source).Build();
        await using var app = await TestApp.StartAsync(
            options =>
            {
                options.AddPolicyProvider("tenants", (_, _) => ValueTask.FromResult<global::CorsKit.Policies.CorsPolicy?>(policy));
                options.DefaultPolicyName = "tenants";
            },
            web =>
            {
                web.MapGet("/data", () => "payload");
                web.MapGet("/inline", () => "x").WithCors(p => p.WithOriginsFrom(source));
            },
            before: b => b.Services.AddSingleton<IHostedService, EarlyRequest>());

        await Poll.UntilAsync(() => source.Status == OriginSourceStatus.Current);
        Assert.True(EarlyRequest.Sent);
        Assert.Empty(app.Logs.ForEvent(51));
    }

    // UseCorsKit(policy => ...) in an app without endpoints (terminal middleware only): its inline default policy is
    // neither registered nor any endpoint's, and its source is read all the same. (Found by an attacker: it was never
    // read, every origin was refused, and the health check said Healthy.)
    [Fact]
    public async Task InlineDefaultPolicySource_NoEndpoints_Read()
    {
        var store = new MemoryOriginStore();
        store.Tenants[string.Empty] = [Acme];
        var source = new OriginSource("inline-default", store);
        await using var app = await TestApp.StartAsync(
            null,
            web =>
            {
                web.UseCorsKit(p => p.WithOriginsFrom(source));
                web.Run(c => c.Response.WriteAsync("payload"));
            },
            useCorsKit: false);

        await Poll.UntilAsync(() => source.Status == OriginSourceStatus.Current);
        using var response = await app.GetAsync("/", Acme);

        CorsAssert.Headers(response, ("Access-Control-Allow-Origin", Acme), ("Vary", "Origin"));
        Assert.Equal("payload", await response.Content.ReadAsStringAsync());
        Assert.Single(app.App.Services.GetRequiredService<OriginSources>().Syncs);
    }

    [Fact]
    public async Task RouteGroupInlinePolicy_SourceRead()
    {
        var store = new MemoryOriginStore();
        store.Tenants[string.Empty] = [Acme];
        var source = new OriginSource("group", store);
        await using var app = await TestApp.StartAsync(null, web =>
        {
            var group = web.MapGroup("/api").WithCors(p => p.WithOriginsFrom(source));
            group.MapGet("/a", () => "a");
            group.MapGet("/b", () => "b");
        });

        await Poll.UntilAsync(() => source.Status == OriginSourceStatus.Current);
        using var allowed = await app.GetAsync("/api/b", Acme);
        CorsAssert.Headers(allowed, ("Access-Control-Allow-Origin", Acme), ("Vary", "Origin"));
        Assert.Single(app.App.Services.GetRequiredService<OriginSources>().Syncs);
    }

    [Fact]
    public async Task SameSourceNamedAndTwoInline_OneSyncOneReadOneLookupPerRequest()
    {
        var store = new CountingStore();
        store.Inner.Tenants[string.Empty] = [Acme];
        var source = new OriginSource("shared", store);
        await using var app = await TestApp.StartAsync(
            cors => cors.AddPolicy("named", p => p.WithOriginsFrom(source)),
            web =>
            {
                web.MapGet("/named", () => "n").WithCors("named");
                web.MapGet("/i1", () => "1").WithCors(p => p.WithOriginsFrom(source));
                web.MapGet("/i2", () => "2").WithCors(p => p.WithOriginsFrom(source).AllowCredentials());
            });
        using var lookups = new MetricCollector<long>(app.App.Services.GetRequiredService<IMeterFactory>(), "CorsKit", "corskit.origin_source.lookups");

        foreach (var path in new[] { "/named", "/i1", "/i2" })
        {
            using var r = await app.GetAsync(path, Acme);
            Assert.Equal(Acme, r.Headers.GetValues("Access-Control-Allow-Origin").Single());
        }

        Assert.Single(app.App.Services.GetRequiredService<OriginSources>().Syncs);
        Assert.Equal(1, store.FullReads);
        Assert.Equal(3, MetricsAssert.Lines(lookups).Length);
    }

    [Fact]
    public async Task MapBranchUnderPathBase_InlinePolicy_SourceRead()
    {
        var store = new MemoryOriginStore();
        store.Tenants[string.Empty] = [Acme];
        var source = new OriginSource("branch", store);
        await using var app = await TestApp.StartAsync(null, web =>
        {
            web.UsePathBase("/base");
            web.Map("/x", branch =>
            {
                branch.UseRouting();
                branch.UseEndpoints(e => e.MapGet("/y", () => "y").WithCors(p => p.WithOriginsFrom(source)));
            });
        });

        await Poll.UntilAsync(() => source.Status == OriginSourceStatus.Current);
        using var allowed = await app.GetAsync("/base/x/y", Acme);
        Assert.Equal(Acme, allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Fact]
    public async Task InlineOnlyStoreFailsAtStartup_LoggedAndUnhealthy()
    {
        var store = new MemoryOriginStore { FailAfter = 0 };
        store.Tenants["x"] = [Acme];
        var source = new OriginSource("inline-down", store);
        await using var app = await TestApp.StartAsync(
            null,
            web => web.MapGet("/inline", () => "x").WithCors(p => p.WithOriginsFrom(source)),
            configure: b => b.Services.AddHealthChecks().AddCorsKitOriginSources());
        using var lookups = new MetricCollector<long>(app.App.Services.GetRequiredService<IMeterFactory>(), "CorsKit", "corskit.origin_source.lookups");
        await Poll.UntilAsync(() => source.Status == OriginSourceStatus.FailedClosed && app.Logs.ForEvent(44).Count > 0);

        using var refused = await app.GetAsync("/inline", Acme, ("Host", "x"));
        CorsAssert.Headers(refused, ("Vary", "Origin"));
        Assert.Single(app.Logs.ForEvent(44));
        var report = await app.App.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        Assert.Equal("an origin source refuses its origins (failed closed): it holds no copy read within MaxStaleness", Assert.Single(report.Entries).Value.Description);
        MetricsAssert.One(lookups, 1L, ("corskit.origin_source.lookup", "not_serving"), ("corskit.origin_source.name", "inline-down"));
    }

    [Fact]
    public async Task NoEndpointsAtAll_Starts()
    {
        await using var app = await TestApp.StartAsync(cors => cors.AddDefaultPolicy(p => p.WithOrigins(Acme)), web => web.Run(c => c.Response.WriteAsync("x")));
        using var r = await app.GetAsync("/", Acme);
        Assert.Equal(Acme, r.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Fact]
    public async Task MalformedOriginAndExactListedOrigin_NotLookedUp()
    {
        var store = new MemoryOriginStore();
        store.Tenants[string.Empty] = [Globex];
        var source = new OriginSource("customers", store);
        await using var app = await TestApp.StartAsync(
            cors => cors.AddDefaultPolicy(p => p.WithOrigins(Acme).WithOriginsFrom(source)),
            web => web.MapGet("/plain", () => "x"));
        using var lookups = new MetricCollector<long>(app.App.Services.GetRequiredService<IMeterFactory>(), "CorsKit", "corskit.origin_source.lookups");

        (await app.GetAsync("/plain", Acme)).Dispose();
        (await app.GetAsync("/plain", $"{Acme}, {Globex}")).Dispose();
        (await app.PreflightAsync("/plain", Globex, "PUT")).Dispose();

        Assert.Equal(["1 corskit.origin_source.lookup=hit corskit.origin_source.name=customers"], MetricsAssert.Lines(lookups));
    }

    // An app whose default policy comes from the provider "tenants", which returns one policy drawing from source, for
    // GET /data.
    private static Task<TestApp> StartWithProviderAsync(OriginSource source, Action<CorsKitOptions>? cors = null)
    {
        var policy = new global::CorsKit.Policies.CorsPolicyBuilder().WithOriginsFrom(source).Build();
        return TestApp.StartAsync(
            options =>
            {
                cors?.Invoke(options);
                options.AddPolicyProvider("tenants", (_, _) => ValueTask.FromResult<global::CorsKit.Policies.CorsPolicy?>(policy));
                options.DefaultPolicyName = "tenants";
            },
            web => web.MapGet("/data", () => "payload"));
    }

    private sealed class EarlyRequest(IServer server) : IHostedLifecycleService
    {
        public static volatile bool Sent;

        public async Task StartedAsync(CancellationToken cancellationToken)
        {
            using var client = ((TestServer)server).CreateClient();
            using var request = new HttpRequestMessage(HttpMethod.Get, "/data");
            request.Headers.TryAddWithoutValidation("Origin", Acme);
            using var response = await client.SendAsync(request, cancellationToken);
            Sent = true;
        }

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class CountingStore : IOriginStore
    {
        public MemoryOriginStore Inner { get; } = new();

        public int FullReads;

        public IAsyncEnumerable<TenantOrigins> ListAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref FullReads);
            return Inner.ListAsync(cancellationToken);
        }

        public Task<IReadOnlyCollection<string>> ListAsync(string tenant, CancellationToken cancellationToken) => Inner.ListAsync(tenant, cancellationToken);

        public Task<IAsyncDisposable?> WatchAsync(Action<string?> changed, CancellationToken cancellationToken) => Inner.WatchAsync(changed, cancellationToken);
    }
}

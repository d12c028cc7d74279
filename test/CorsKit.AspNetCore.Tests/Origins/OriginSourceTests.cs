using System.Diagnostics.Metrics;
using CorsKit.AspNetCore.Origins;
using CorsKit.AspNetCore.Tests.Metrics;
using CorsKit.AspNetCore.Tests.Infrastructure;
using CorsKit.Sources;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CorsKit.AspNetCore.Tests.Origins;

/// <summary>Policies drawing from an app's own store and from configuration, through the real pipeline.</summary>
public sealed class OriginSourceTests
{
    private const string Acme = "https://app.acme.example";
    private const string Globex = "https://app.globex.example";

    [Fact]
    public async Task AppStore_ChangeNotified_HonouredPerTenant()
    {
        var store = new MemoryOriginStore();
        store.Tenants["acme"] = [Acme];
        var source = new OriginSource("customers", store);
        await using var app = await StartAsync(source, OriginTenant.FromRouteValue("tenant"));

        using (var allowed = await app.GetAsync("/tenants/acme/data", Acme))
        {
            CorsAssert.Headers(allowed, ("Access-Control-Allow-Origin", Acme), ("Vary", "Origin"));
        }

        store.Set("globex", Globex);
        using var globex = await WaitAsync(app, "/tenants/globex/data", Globex);
        CorsAssert.Headers(globex, ("Access-Control-Allow-Origin", Globex), ("Vary", "Origin"));
        using var crossTenant = await app.GetAsync("/tenants/acme/data", Globex);
        CorsAssert.Headers(crossTenant, ("Vary", "Origin"));
        using var noTenant = await app.GetAsync("/plain", Acme);
        CorsAssert.Headers(noTenant, ("Vary", "Origin"));
    }

    [Fact]
    public async Task HostChoosesTenant_HostsOwnOriginsOnly()
    {
        var store = new MemoryOriginStore();
        store.Tenants["acme.api.example"] = [Acme];
        await using var app = await StartAsync(new OriginSource("hosts", store), OriginTenant.Host);

        using var allowed = await app.GetAsync("/plain", Acme, ("Host", "ACME.api.example:8080"));
        CorsAssert.Headers(allowed, ("Access-Control-Allow-Origin", Acme), ("Vary", "Origin"));
        using var otherHost = await app.GetAsync("/plain", Acme, ("Host", "globex.api.example"));
        CorsAssert.Headers(otherHost, ("Vary", "Origin"));
    }

    [Fact]
    public async Task FullReadFailsPartWay_CopyUnchanged_StaleLoggedOnce()
    {
        var store = new MemoryOriginStore();
        store.Tenants["acme"] = [Acme];
        store.Tenants["globex"] = [Globex];
        var time = new FakeTimeProvider();
        var source = new OriginSource("customers", store, new OriginSourceOptions { ResyncInterval = TimeSpan.FromSeconds(30) });
        await using var app = await StartAsync(source, OriginTenant.FromRouteValue("tenant"), time);

        // Both tenants change; the next full read yields the first (acme, now empty) and then fails.
        store.Tenants["acme"] = [];
        store.Tenants["globex"] = ["https://new.globex.example"];
        store.FailAfter = 1;
        time.Advance(TimeSpan.FromSeconds(30));
        await Poll.UntilAsync(() => source.Status == OriginSourceStatus.Stale);
        await SharedSourceHosts.FailuresHandledAsync(store, source); // 42 written, the retry armed before the clock moves

        // Nothing of the failed read was applied: the old copy, whole.
        using var acme = await app.GetAsync("/tenants/acme/data", Acme);
        CorsAssert.Headers(acme, ("Access-Control-Allow-Origin", Acme), ("Vary", "Origin"));
        using var globex = await app.GetAsync("/tenants/globex/data", Globex);
        CorsAssert.Headers(globex, ("Access-Control-Allow-Origin", Globex), ("Vary", "Origin"));
        var stale = Assert.Single(app.Logs.ForEvent(42));
        Assert.Equal("the database went away mid-read", stale.Exception?.Message);

        store.FailAfter = null;
        time.Advance(TimeSpan.FromSeconds(1));
        await Poll.UntilAsync(() => source.Status == OriginSourceStatus.Current && app.Logs.ForEvent(46).Count > 0);
        using var after = await app.GetAsync("/tenants/acme/data", Acme);
        CorsAssert.Headers(after, ("Vary", "Origin"));
        Assert.Single(app.Logs.ForEvent(46));
    }

    [Fact]
    public async Task Metrics_TenantReadCountedAndStalenessGauged_OnTheCorsKitMeter()
    {
        var store = new MemoryOriginStore();
        store.Tenants["acme"] = [Acme];
        var time = new FakeTimeProvider();
        await using var app = await StartAsync(new OriginSource("customers", store), OriginTenant.FromRouteValue("tenant"), time);
        var meters = app.App.Services.GetRequiredService<IMeterFactory>();
        using var reads = new MetricCollector<long>(meters, "CorsKit", "corskit.origin_source.reads");
        using var staleness = new MetricCollector<double>(meters, "CorsKit", "corskit.origin_source.staleness");
        using var origins = new MetricCollector<long>(meters, "CorsKit", "corskit.origin_source.origins");
        using var serving = new MetricCollector<int>(meters, "CorsKit", "corskit.origin_source.serving");

        store.Set("globex", Globex);
        using (var allowed = await WaitAsync(app, "/tenants/globex/data", Globex))
        {
            CorsAssert.Headers(allowed, ("Access-Control-Allow-Origin", Globex), ("Vary", "Origin"));
        }

        await reads.WaitForMeasurementsAsync(1, TimeSpan.FromSeconds(10)); // recorded just after the tenant's copy is replaced
        time.Advance(TimeSpan.FromSeconds(10));
        staleness.RecordObservableInstruments();
        origins.RecordObservableInstruments();
        serving.RecordObservableInstruments();

        MetricsAssert.One(reads, 1L, ("corskit.origin_source.name", "customers"), ("corskit.origin_source.read", "tenant"), ("corskit.origin_source.result", "succeeded"));
        MetricsAssert.One(staleness, 10.0, ("corskit.origin_source.name", "customers"));
        MetricsAssert.One(origins, 2L, ("corskit.origin_source.name", "customers"));
        MetricsAssert.One(serving, 1, ("corskit.origin_source.name", "customers"));
    }

    [Fact]
    public async Task Metrics_LookupsCountedByResult_OnlyWhenTheSourceWasAsked()
    {
        var store = new MemoryOriginStore();
        store.Tenants["acme"] = [Acme];
        await using var app = await StartAsync(new OriginSource("customers", store), OriginTenant.FromRouteValue("tenant"));
        using var lookups = new MetricCollector<long>(app.App.Services.GetRequiredService<IMeterFactory>(), "CorsKit", "corskit.origin_source.lookups");

        using (var hit = await app.GetAsync("/tenants/acme/data", Acme))
        {
            CorsAssert.Headers(hit, ("Access-Control-Allow-Origin", Acme), ("Vary", "Origin"));
        }

        using (var otherOrigin = await app.GetAsync("/tenants/acme/data", Globex))
        {
            CorsAssert.Headers(otherOrigin, ("Vary", "Origin"));
        }

        using (var unknownTenant = await app.GetAsync("/tenants/initech/data", Acme))
        {
            CorsAssert.Headers(unknownTenant, ("Vary", "Origin"));
        }

        // No tenant, and no Origin: the source is not asked, so nothing is counted.
        using (var noTenant = await app.GetAsync("/plain", Acme))
        {
            CorsAssert.Headers(noTenant, ("Vary", "Origin"));
        }

        using (var noOrigin = await app.GetAsync("/tenants/acme/data", origin: null))
        {
            CorsAssert.Headers(noOrigin, ("Vary", "Origin"));
        }

        Assert.Equal(
            [
                "1 corskit.origin_source.lookup=hit corskit.origin_source.name=customers",
                "1 corskit.origin_source.lookup=miss corskit.origin_source.name=customers",
                "1 corskit.origin_source.lookup=miss corskit.origin_source.name=customers",
            ],
            MetricsAssert.Lines(lookups));
    }

    [Fact]
    public async Task Metrics_LookupWhileFailedClosed_CountedNotServing()
    {
        var store = new MemoryOriginStore { FailAfter = 0 };
        store.Tenants["acme"] = [Acme];
        var source = new OriginSource("customers", store);
        await using var app = await StartAsync(source, OriginTenant.FromRouteValue("tenant"));
        using var lookups = new MetricCollector<long>(app.App.Services.GetRequiredService<IMeterFactory>(), "CorsKit", "corskit.origin_source.lookups");
        Assert.Equal(OriginSourceStatus.FailedClosed, source.Status);

        using var refused = await app.GetAsync("/tenants/acme/data", Acme);

        CorsAssert.Headers(refused, ("Vary", "Origin"));
        MetricsAssert.One(lookups, 1L, ("corskit.origin_source.lookup", "not_serving"), ("corskit.origin_source.name", "customers"));
    }

    [Fact]
    public async Task ConfigurationStore_Reloaded_NewOriginHonoured()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["TenantOrigins:0"] = Acme }).Build();
        var source = new OriginSource("config", new ConfigurationOriginStore(configuration.GetSection("TenantOrigins")));
        await using var app = await StartAsync(source, OriginTenant.None);

        using (var before = await app.GetAsync("/plain", Globex))
        {
            CorsAssert.Headers(before, ("Vary", "Origin"));
        }

        configuration["TenantOrigins:1"] = "HTTPS://App.Globex.Example";
        configuration.Reload();

        using var after = await WaitAsync(app, "/plain", Globex);
        CorsAssert.Headers(after, ("Access-Control-Allow-Origin", Globex), ("Vary", "Origin"));
        using var first = await app.GetAsync("/plain", Acme);
        CorsAssert.Headers(first, ("Access-Control-Allow-Origin", Acme), ("Vary", "Origin"));
    }

    [Fact]
    public async Task InlineEndpointPolicyOnly_SourceReadOnceTheServerStarted_OriginsAllowed()
    {
        var store = new MemoryOriginStore();
        store.Tenants[string.Empty] = [Acme];
        var source = new OriginSource("inline-only", store);
        await using var app = await TestApp.StartAsync(null, web => web.MapGet("/inline", () => "x").WithCors(p => p.WithOriginsFrom(source)));

        await Poll.UntilAsync(() => source.Status == OriginSourceStatus.Current);
        using var allowed = await app.GetAsync("/inline", Acme);
        CorsAssert.Headers(allowed, ("Access-Control-Allow-Origin", Acme), ("Vary", "Origin"));
        using var refused = await app.GetAsync("/inline", Globex);
        CorsAssert.Headers(refused, ("Vary", "Origin"));

        // Read once, though the health check and metrics see it as any other source.
        Assert.Single(app.App.Services.GetRequiredService<OriginSources>().Syncs);
    }

    private static Task<TestApp> StartAsync(OriginSource source, OriginTenant tenant, TimeProvider? time = null) =>
        TestApp.StartAsync(
            cors => cors.AddDefaultPolicy(p => p.WithOriginsFrom(source, tenant)),
            web =>
            {
                web.MapGet("/tenants/{tenant}/data", (string tenant) => tenant);
                web.MapGet("/plain", () => "plain");
            },
            before: b =>
            {
                if (time is not null)
                {
                    b.Services.AddSingleton(time);
                }
            });

    private static async Task<HttpResponseMessage> WaitAsync(TestApp app, string path, string origin)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var response = await app.GetAsync(path, origin);
            if (response.Headers.Contains("Access-Control-Allow-Origin") || DateTime.UtcNow > deadline)
            {
                return response;
            }

            response.Dispose();
            await Task.Delay(20);
        }
    }
}

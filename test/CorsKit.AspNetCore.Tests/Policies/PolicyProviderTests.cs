using CorsKit.AspNetCore.Tests.Infrastructure;
using CorsKit.Policies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CorsKit.AspNetCore.Tests.Policies;

/// <summary>Policies chosen per request by an <see cref="ICorsKitPolicyProvider"/>: the answer, and failing closed.</summary>
public sealed class PolicyProviderTests
{
    private const string Acme = "https://acme.example";
    private const string Globex = "https://globex.example";

    private static Task<TestApp> StartTenantsAsync(string environment = "Production") =>
        TestApp.StartAsync(
            o => o.AddPolicyProvider<TenantPolicies>("tenants"),
            app =>
            {
                app.MapGet("/tenants/{tenant}/data", (string tenant) => $"data of {tenant}").WithCors("tenants");
                app.MapPut("/tenants/{tenant}/data", (string tenant) => $"saved for {tenant}").WithCors("tenants");
            },
            builder => builder.Services.AddSingleton(new TenantStore(new Dictionary<string, string> { ["acme"] = Acme, ["globex"] = Globex })),
            environment);

    [Fact]
    public async Task Get_TenantsOwnOrigin_AllowedByTheProvidedPolicy()
    {
        await using var app = await StartTenantsAsync();

        var response = await app.GetAsync("/tenants/acme/data", Acme);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("data of acme", await response.Content.ReadAsStringAsync());
        CorsAssert.Headers(response, ("Access-Control-Allow-Origin", Acme), ("Access-Control-Allow-Credentials", "true"), ("Vary", "Origin"));
        Assert.Empty(app.Logs.ForEvent(9));
    }

    [Fact]
    public async Task Get_AnotherTenantsOrigin_RejectedByTheProvidedPolicy()
    {
        await using var app = await StartTenantsAsync();

        var response = await app.GetAsync("/tenants/acme/data", Globex);

        Assert.Equal("data of acme", await response.Content.ReadAsStringAsync());
        CorsAssert.Headers(response, ("Vary", "Origin"));
        var log = Assert.Single(app.Logs.ForEvent(2));
        Assert.Equal("tenant:acme", log.Values["PolicyName"]);
    }

    [Fact]
    public async Task Preflight_RouteValuesKnown_AnsweredFromTheTenantsPolicy()
    {
        await using var app = await StartTenantsAsync();

        var response = await app.PreflightAsync("/tenants/globex/data", Globex, "PUT", "content-type");

        Assert.Equal(204, (int)response.StatusCode);
        Assert.Equal(string.Empty, await response.Content.ReadAsStringAsync());
        CorsAssert.Headers(
            response,
            ("Access-Control-Allow-Origin", Globex),
            ("Access-Control-Allow-Credentials", "true"),
            ("Access-Control-Allow-Methods", "PUT"),
            ("Access-Control-Allow-Headers", "content-type"),
            ("Vary", "Origin"));
    }

    [Fact]
    public async Task Get_UnknownTenant_ProviderSaysNoCors_NoCorsHeaders()
    {
        await using var app = await StartTenantsAsync();

        var response = await app.GetAsync("/tenants/initech/data", Acme);

        Assert.Equal("data of initech", await response.Content.ReadAsStringAsync());
        CorsAssert.Headers(response);
        Assert.Empty(app.Logs.ForEvent(9));
    }

    [Fact]
    public async Task Preflight_UnknownTenant_ProviderSaysNoCors_Answered204WithoutCorsHeaders()
    {
        await using var app = await StartTenantsAsync();

        var response = await app.PreflightAsync("/tenants/initech/data", Acme, "PUT");

        Assert.Equal(204, (int)response.StatusCode);
        CorsAssert.Headers(response);
    }

    [Fact]
    public async Task DefaultPolicyName_Provider_UsedWhereEndpointsNameNone()
    {
        await using var app = await TestApp.StartAsync(
            o =>
            {
                o.AddPolicyProvider("by-header", (context, _) => ValueTask.FromResult<CorsPolicy?>(
                    context.Request.Headers["X-Tenant"] == "acme" ? AcmePolicy : null));
                o.DefaultPolicyName = "by-header";
            },
            app => app.MapGet("/data", () => "payload"));

        var tenant = await app.GetAsync("/data", Acme, ("X-Tenant", "acme"));
        var other = await app.GetAsync("/data", Acme);

        CorsAssert.Headers(tenant, ("Access-Control-Allow-Origin", Acme), ("Vary", "Origin"));
        CorsAssert.Headers(other);
    }

    [Fact]
    public async Task Get_ProviderThrows_ServedWithoutCorsHeadersAndLoggedOnce()
    {
        await using var app = await StartFailingAsync((_, _) => throw new InvalidOperationException("tenant store down"));

        var response = await app.GetAsync("/data", Acme);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("payload", await response.Content.ReadAsStringAsync());
        CorsAssert.Headers(response, ("Vary", "Origin"));
        var log = Assert.Single(app.Logs.ForEvent(9));
        Assert.Equal((LogLevel.Error, "tenant store down", "broken", "GET", "/data"), (log.Level, log.Exception?.Message, log.Values["PolicyName"], log.Values["Method"], log.Values["Path"]));
    }

    [Fact]
    public async Task Preflight_ProviderTimesOut_204WithoutCorsHeadersAndLoggedOnce()
    {
        var never = new TaskCompletionSource<CorsPolicy?>();
        await using var app = await StartFailingAsync((_, _) => new ValueTask<CorsPolicy?>(never.Task), timeout: TimeSpan.FromMilliseconds(50));

        var response = await app.PreflightAsync("/data", Acme, "GET");

        Assert.Equal(204, (int)response.StatusCode);
        Assert.Equal(string.Empty, await response.Content.ReadAsStringAsync());
        CorsAssert.Headers(response, ("Vary", "Origin"));
        Assert.IsType<TimeoutException>(Assert.Single(app.Logs.ForEvent(9)).Exception);
    }

    [Fact]
    public async Task Get_ProviderFaultsInDebugMode_ReasonHeaderNamesTheFailure()
    {
        await using var app = await StartFailingAsync(
            async (_, _) =>
            {
                await Task.Yield();
                throw new InvalidOperationException("tenant query failed");
            },
            environment: "Development");

        var response = await app.GetAsync("/data", Acme);

        Assert.Equal("payload", await response.Content.ReadAsStringAsync());
        CorsAssert.Headers(
            response,
            ("Vary", "Origin"),
            ("X-CorsKit-Reason", "policy provider 'broken' failed (InvalidOperationException: tenant query failed); no CORS headers were sent"));
        Assert.Single(app.Logs.ForEvent(9));
    }

    [Fact]
    public async Task Startup_EndpointNamesAProvider_Accepted()
    {
        await using var app = await StartTenantsAsync();

        Assert.Equal("data of acme", await (await app.GetAsync("/tenants/acme/data", null)).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Startup_NonPositiveTimeout_Fails()
    {
        var error = await Assert.ThrowsAsync<CorsPolicyException>(() => StartFailingAsync((_, _) => default, timeout: TimeSpan.Zero));

        Assert.Equal("PolicyProviderTimeout is 00:00:00; it must be positive (default 1 second)", error.Message);
    }

    [Fact]
    public async Task AddPolicy_SameNameAfterProvider_ReplacesTheProvider()
    {
        await using var app = await TestApp.StartAsync(
            o =>
            {
                o.AddPolicyProvider("api", (_, _) => throw new InvalidOperationException("replaced, never called"));
                o.AddPolicy("api", p => p.WithOrigins(Acme));
                o.DefaultPolicyName = "api";
            },
            app => app.MapGet("/data", () => "payload"));

        var response = await app.GetAsync("/data", Acme);

        CorsAssert.Headers(response, ("Access-Control-Allow-Origin", Acme), ("Vary", "Origin"));
        Assert.Empty(app.Logs.ForEvent(9));
    }

    private static readonly CorsPolicy AcmePolicy = new CorsPolicyBuilder("acme").WithOrigins(Acme).Build();

    private static Task<TestApp> StartFailingAsync(
        Func<HttpContext, CancellationToken, ValueTask<CorsPolicy?>> provider,
        TimeSpan? timeout = null,
        string environment = "Production") =>
        TestApp.StartAsync(
            o =>
            {
                o.AddPolicyProvider("broken", provider);
                o.DefaultPolicyName = "broken";
                o.PolicyProviderTimeout = timeout ?? o.PolicyProviderTimeout;
            },
            app => app.MapGet("/data", () => "payload"),
            environment: environment);

    /// <summary>Each tenant's origin, as an app would keep it in a database.</summary>
    public sealed class TenantStore(IReadOnlyDictionary<string, string> origins)
    {
        public string? OriginOf(string tenant) => origins.GetValueOrDefault(tenant);
    }

    /// <summary>The tenant's policy from the route, built once per tenant and cached.</summary>
    public sealed class TenantPolicies(TenantStore store) : ICorsKitPolicyProvider
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, CorsPolicy?> _built = new(StringComparer.Ordinal);

        public ValueTask<CorsPolicy?> GetPolicyAsync(HttpContext context, CancellationToken cancellationToken)
        {
            if (context.Request.RouteValues["tenant"] is not string tenant)
            {
                return ValueTask.FromResult<CorsPolicy?>(null);
            }

            return ValueTask.FromResult(_built.GetOrAdd(tenant, name => store.OriginOf(name) is { } origin
                ? new CorsPolicyBuilder($"tenant:{name}").WithOrigins(origin).WithMethods("PUT").WithHeaders("Content-Type").AllowCredentials().Build()
                : null));
        }
    }
}

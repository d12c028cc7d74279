using CorsKit.AspNetCore.Tests.Infrastructure;
using CorsKit.Policies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

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
        var time = new FakeTimeProvider();
        await using var app = await StartFailingAsync((_, _) => new ValueTask<CorsPolicy?>(never.Task), timeout: TimeSpan.FromMilliseconds(50), time: time);

        var pending = app.PreflightAsync("/data", Acme, "GET");
        await WhenCalledAsync(app, 1);
        time.Advance(TimeSpan.FromMilliseconds(50));
        var response = await pending;

        Assert.Equal(204, (int)response.StatusCode);
        Assert.Equal(string.Empty, await response.Content.ReadAsStringAsync());
        CorsAssert.Headers(response, ("Vary", "Origin"));
        var error = Assert.IsType<TimeoutException>(Assert.Single(app.Logs.ForEvent(9)).Exception);
        Assert.StartsWith("policy provider 'broken' did not answer within its budget of 50 ms;", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_ProviderBlocksSynchronously_FailsClosedWhenTheBudgetPasses()
    {
        using var release = new ManualResetEventSlim();
        using var entered = new ManualResetEventSlim();
        var time = new FakeTimeProvider();
        await using var app = await StartFailingAsync(BlockingProvider(entered, release), time: time);
        try
        {
            var pending = app.GetAsync("/data", Acme);
            await Task.Run(() => entered.Wait()); // off the test's thread, which the request's continuations may need
            time.Advance(TimeSpan.FromSeconds(1) - TimeSpan.FromTicks(1));
            Assert.False(pending.IsCompleted);
            time.Advance(TimeSpan.FromTicks(1));
            var response = await pending;

            // Answered while the provider is still blocked: its thread is CorsKit's, not the request's.
            Assert.False(release.IsSet);
            Assert.Equal("payload", await response.Content.ReadAsStringAsync());
            CorsAssert.Headers(response, ("Vary", "Origin"));
            var log = Assert.Single(app.Logs.ForEvent(9));
            Assert.Equal(
                "policy provider 'broken' did not answer within its budget of 1 s; refused (fail closed). It keeps its CorsKit thread until it returns (synchronous code cannot be stopped)",
                Assert.IsType<TimeoutException>(log.Exception).Message);
        }
        finally
        {
            release.Set();
        }
    }

    [Fact]
    public async Task Get_ProviderWithItsOwnTimeout_WaitedThatLong()
    {
        using var release = new ManualResetEventSlim();
        using var entered = new ManualResetEventSlim();
        var time = new FakeTimeProvider();
        await using var app = await TestApp.StartAsync(
            o =>
            {
                o.AddPolicyProvider("slow", BlockingProvider(entered, release), timeout: TimeSpan.FromSeconds(3));
                o.DefaultPolicyName = "slow";
            },
            app => app.MapGet("/data", () => "payload"),
            builder => builder.Services.AddSingleton<TimeProvider>(time));
        try
        {
            var pending = app.GetAsync("/data", Acme);
            await Task.Run(() => entered.Wait()); // off the test's thread, which the request's continuations may need
            time.Advance(TimeSpan.FromSeconds(2));
            Assert.False(pending.IsCompleted);
            time.Advance(TimeSpan.FromSeconds(1));
            var response = await pending;

            CorsAssert.Headers(response, ("Vary", "Origin"));
            Assert.StartsWith("policy provider 'slow' did not answer within its budget of 3 s;", Assert.Single(app.Logs.ForEvent(9)).Exception?.Message, StringComparison.Ordinal);
        }
        finally
        {
            release.Set();
        }
    }

    [Fact]
    public async Task Get_BoundReached_FailsClosedAtOnceWithoutCallingTheProvider_ThenServesAgainOnceFreed()
    {
        using var release = new ManualResetEventSlim();
        using var entered = new ManualResetEventSlim();
        var calls = 0;
        await using var app = await TestApp.StartAsync(
            o =>
            {
                o.AddPolicyProvider("blocking", (context, token) =>
                {
                    Interlocked.Increment(ref calls);
                    entered.Set();
                    release.Wait(CancellationToken.None); // a synchronous call that ignores the token
                    return ValueTask.FromResult<CorsPolicy?>(AcmePolicy);
                });
                o.DefaultPolicyName = "blocking";
                o.MaxUserCodeCallsInFlight = 1;

                // The first call is held until the asserts on the refused one are done; on a loaded 2-core machine that
                // took past the default 1 s budget, and the first request failed closed by timeout, not what this tests.
                o.PolicyProviderTimeout = TimeSpan.FromSeconds(30);
            },
            app => app.MapGet("/data", () => "payload"));
        var first = app.GetAsync("/data", Acme);
        await Task.Run(() => entered.Wait()); // off the test's thread, which the request's continuations may need

        var refused = await app.GetAsync("/data", Acme);

        Assert.Equal("payload", await refused.Content.ReadAsStringAsync());
        CorsAssert.Headers(refused, ("Vary", "Origin"));
        Assert.Equal(1, Volatile.Read(ref calls));
        Assert.Equal(
            "policy provider 'blocking' was not called: bound reached, 1 calls of user code in flight (calls past their budget count until they return); refused at once (fail closed)",
            Assert.IsType<CorsKit.Isolation.BulkheadFullException>(Assert.Single(app.Logs.ForEvent(9)).Exception).Message);

        release.Set();
        CorsAssert.Headers(await first, ("Access-Control-Allow-Origin", Acme), ("Vary", "Origin"));
        CorsAssert.Headers(await app.GetAsync("/data", Acme), ("Access-Control-Allow-Origin", Acme), ("Vary", "Origin"));
        Assert.Equal(2, Volatile.Read(ref calls));
    }

    [Fact]
    public async Task Get_ProviderAnswers_CalledOffTheThreadPool()
    {
        bool? onPool = null;
        await using var app = await TestApp.StartAsync(
            o =>
            {
                o.AddPolicyProvider("p", (_, _) =>
                {
                    onPool = Thread.CurrentThread.IsThreadPoolThread;
                    return ValueTask.FromResult<CorsPolicy?>(AcmePolicy);
                });
                o.DefaultPolicyName = "p";
            },
            app => app.MapGet("/data", () => "payload"));

        var response = await app.GetAsync("/data", Acme);

        CorsAssert.Headers(response, ("Access-Control-Allow-Origin", Acme), ("Vary", "Origin"));
        Assert.False(onPool);
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
    public async Task Startup_ProviderTimeoutOverTheMaximum_Fails()
    {
        var error = await Assert.ThrowsAsync<CorsPolicyException>(() => StartFailingAsync((_, _) => default, timeout: TimeSpan.FromSeconds(61)));

        Assert.Equal("PolicyProviderTimeout is 00:01:01; it must be at most 00:01:00 (default 1 second)", error.Message);
    }

    [Fact]
    public async Task Startup_NonPositiveTimeoutOfOneProvider_FailsNamingIt()
    {
        var error = await Assert.ThrowsAsync<CorsPolicyException>(() => TestApp.StartAsync(
            o => o.AddPolicyProvider("tenants", (_, _) => default, timeout: TimeSpan.Zero),
            app => app.MapGet("/data", () => "payload")));

        Assert.Equal("the timeout of policy provider 'tenants' is 00:00:00; it must be positive (default 1 second)", error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4097)]
    public async Task Startup_BoundOutOfRange_FailsEvenWithoutProviders(int bound)
    {
        var error = await Assert.ThrowsAsync<CorsPolicyException>(() => TestApp.StartAsync(
            o =>
            {
                o.AddDefaultPolicy(p => p.WithOrigins(Acme));
                o.MaxUserCodeCallsInFlight = bound;
            },
            app => app.MapGet("/data", () => "payload")));

        Assert.Equal($"MaxUserCodeCallsInFlight is {bound}; it must be 1 to 4096 (default 64)", error.Message);
    }

    [Fact]
    public async Task AddCorsKit_NoTimeProvider_RegistersTheSystemClockOnce()
    {
        await using var app = await StartTenantsAsync();

        Assert.Same(TimeProvider.System, app.App.Services.GetRequiredService<TimeProvider>());
        Assert.Same(TimeProvider.System, app.App.Services.GetRequiredService<CorsKit.Isolation.UserCodeBulkhead>().TimeProvider);
        Assert.Equal(64, app.App.Services.GetRequiredService<CorsKit.Isolation.UserCodeBulkhead>().MaxCallsInFlight);
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
        string environment = "Production",
        TimeProvider? time = null) =>
        TestApp.StartAsync(
            o =>
            {
                o.AddPolicyProvider("broken", provider);
                o.DefaultPolicyName = "broken";
                o.PolicyProviderTimeout = timeout ?? o.PolicyProviderTimeout;
            },
            app => app.MapGet("/data", () => "payload"),
            builder =>
            {
                if (time is not null)
                {
                    builder.Services.AddSingleton(time);
                }
            },
            environment);

    // A provider that blocks its thread (as a synchronous database call would) until the test releases it.
    private static Func<HttpContext, CancellationToken, ValueTask<CorsPolicy?>> BlockingProvider(ManualResetEventSlim entered, ManualResetEventSlim release) =>
        (_, _) =>
        {
            entered.Set();
            release.Wait(CancellationToken.None); // a synchronous call that ignores the token
            return ValueTask.FromResult<CorsPolicy?>(AcmePolicy);
        };

    // The provider's call is admitted (so its budget is running) once the bulkhead counts it.
    private static async Task WhenCalledAsync(TestApp app, int calls)
    {
        var bulkhead = app.App.Services.GetRequiredService<CorsKit.Isolation.UserCodeBulkhead>();
        while (bulkhead.CallsInFlight < calls)
        {
            await Task.Yield();
        }
    }

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

using System.Diagnostics.Metrics;
using CorsKit.AspNetCore.Tests.Infrastructure;
using CorsKit.Policies;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CorsKit.AspNetCore.Tests.Metrics;

/// <summary>The CorsKit meter, read through the app's own IMeterFactory while real requests go through the pipeline.</summary>
public sealed class CorsKitMetricsTests
{
    private const string Page = "https://app.example.com";

    [Fact]
    public async Task SimpleRequest_Allowed_CountedOnceAsAllowed()
    {
        await using var app = await StartAsync();
        using var requests = Requests(app);

        var response = await app.GetAsync("/data", Page);

        Assert.Equal("payload", await response.Content.ReadAsStringAsync());
        CorsAssert.Headers(response, ("Access-Control-Allow-Origin", Page), ("Vary", "Origin"));
        MetricsAssert.One(requests, 1, ("corskit.outcome", "allowed"), ("corskit.preflight", false), ("corskit.policy.name", "default"));
    }

    [Fact]
    public async Task Preflight_HeaderNotAllowed_CountedAsRejectedWithItsReason()
    {
        await using var app = await StartAsync();
        using var requests = Requests(app);

        var response = await app.PreflightAsync("/data", Page, "PUT", "x-foo");

        Assert.Equal(204, (int)response.StatusCode);
        CorsAssert.Headers(
            response,
            ("Access-Control-Allow-Origin", Page),
            ("Access-Control-Allow-Methods", "PUT"),
            ("Access-Control-Allow-Headers", "x-token"),
            ("Vary", "Origin"));
        MetricsAssert.One(
            requests,
            1,
            ("corskit.outcome", "rejected"),
            ("corskit.preflight", true),
            ("corskit.policy.name", "default"),
            ("corskit.rejection.reason", "header_not_allowed"));
    }

    [Fact]
    public async Task Preflight_OriginNotAllowed_CountedWithOriginNotAllowed()
    {
        await using var app = await StartAsync();
        using var requests = Requests(app);

        var response = await app.PreflightAsync("/data", "https://evil.example", "PUT");

        Assert.Equal(204, (int)response.StatusCode);
        CorsAssert.Headers(response, ("Vary", "Origin"));
        MetricsAssert.One(
            requests,
            1,
            ("corskit.outcome", "rejected"),
            ("corskit.preflight", true),
            ("corskit.policy.name", "default"),
            ("corskit.rejection.reason", "origin_not_allowed"));
    }

    [Fact]
    public async Task Request_WithoutOrigin_CountedAsNotCors()
    {
        await using var app = await StartAsync();
        using var requests = Requests(app);

        var response = await app.GetAsync("/data", origin: null);

        Assert.Equal("payload", await response.Content.ReadAsStringAsync());
        CorsAssert.Headers(response, ("Vary", "Origin"));
        MetricsAssert.One(requests, 1, ("corskit.outcome", "not_cors"), ("corskit.preflight", false), ("corskit.policy.name", "default"));
    }

    [Fact]
    public async Task Request_EndpointWithoutCors_CountedAsNoPolicyWithoutPolicyName()
    {
        await using var app = await StartAsync();
        using var requests = Requests(app);

        var response = await app.GetAsync("/internal", Page);

        Assert.Equal("internal", await response.Content.ReadAsStringAsync());
        CorsAssert.Headers(response);
        MetricsAssert.One(requests, 1, ("corskit.outcome", "no_policy"), ("corskit.preflight", false));
    }

    [Fact]
    public async Task Requests_Several_EachCountedOnceUnderItsOwnTags()
    {
        await using var app = await StartAsync();
        using var requests = Requests(app);

        await app.GetAsync("/data", Page);
        await app.GetAsync("/data", Page);
        await app.GetAsync("/data", "https://evil.example");

        Assert.Equal(
            [
                "1 corskit.outcome=allowed corskit.policy.name=default corskit.preflight=False",
                "1 corskit.outcome=allowed corskit.policy.name=default corskit.preflight=False",
                "1 corskit.outcome=rejected corskit.policy.name=default corskit.preflight=False corskit.rejection.reason=origin_not_allowed",
            ],
            MetricsAssert.Lines(requests));
    }

    [Fact]
    public async Task ProviderChosenPolicy_CountedUnderThatPolicysName_AndItsWaitRecordedInSeconds()
    {
        var time = new FakeTimeProvider();
        var tenant = new CorsPolicyBuilder("tenant-acme").WithOrigins(Page).Build();
        await using var app = await StartAsync(
            o => o.AddPolicyProvider("tenants", (_, _) =>
            {
                // The provider's own latency, on the app's clock: 250 ms.
                time.Advance(TimeSpan.FromMilliseconds(250));
                return ValueTask.FromResult<CorsPolicy?>(tenant);
            }),
            time,
            map: app => app.MapGet("/tenant", () => "tenant").WithCors("tenants"));
        using var requests = Requests(app);
        using var userCode = UserCode(app);

        var response = await app.GetAsync("/tenant", Page);

        Assert.Equal("tenant", await response.Content.ReadAsStringAsync());
        CorsAssert.Headers(response, ("Access-Control-Allow-Origin", Page), ("Vary", "Origin"));
        MetricsAssert.One(requests, 1, ("corskit.outcome", "allowed"), ("corskit.preflight", false), ("corskit.policy.name", "tenant-acme"));
        MetricsAssert.One(userCode, 0.25, ("corskit.user_code.kind", "policy_provider"), ("corskit.policy.name", "tenants"));
    }

    [Fact]
    public async Task ProviderThrows_CountedAsRejectedProviderFailed_AndItsWaitRecordedWithTheErrorType()
    {
        var time = new FakeTimeProvider();
        await using var app = await StartAsync(
            o => o.AddPolicyProvider("tenants", (_, _) =>
            {
                time.Advance(TimeSpan.FromMilliseconds(30));
                throw new InvalidOperationException("tenant store down");
            }),
            time,
            map: app => app.MapGet("/tenant", () => "tenant").WithCors("tenants"));
        using var requests = Requests(app);
        using var userCode = UserCode(app);

        var response = await app.PreflightAsync("/tenant", Page, "GET");

        Assert.Equal(204, (int)response.StatusCode);
        CorsAssert.Headers(response, ("Vary", "Origin"));
        MetricsAssert.One(
            requests,
            1,
            ("corskit.outcome", "rejected"),
            ("corskit.preflight", true),
            ("corskit.policy.name", "tenants"),
            ("corskit.rejection.reason", "policy_provider_failed"));
        MetricsAssert.One(
            userCode,
            0.03,
            ("corskit.user_code.kind", "policy_provider"),
            ("corskit.policy.name", "tenants"),
            ("error.type", "System.InvalidOperationException"));
    }

    [Fact]
    public async Task ProviderPastItsBudget_WaitRecordedAsTheBudgetWithTimeoutException()
    {
        var time = new FakeTimeProvider();
        var called = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var never = new TaskCompletionSource<CorsPolicy?>();
        await using var app = await StartAsync(
            o => o.AddPolicyProvider("tenants", (_, _) =>
            {
                called.TrySetResult();
                return new ValueTask<CorsPolicy?>(never.Task);
            }, timeout: TimeSpan.FromMilliseconds(200)),
            time,
            map: app => app.MapGet("/tenant", () => "tenant").WithCors("tenants"));
        using var requests = Requests(app);
        using var userCode = UserCode(app);

        var pending = app.GetAsync("/tenant", Page);
        await called.Task;
        time.Advance(TimeSpan.FromMilliseconds(200));
        var response = await pending;

        Assert.Equal("tenant", await response.Content.ReadAsStringAsync());
        CorsAssert.Headers(response, ("Vary", "Origin"));
        MetricsAssert.One(
            requests,
            1,
            ("corskit.outcome", "rejected"),
            ("corskit.preflight", false),
            ("corskit.policy.name", "tenants"),
            ("corskit.rejection.reason", "policy_provider_failed"));
        MetricsAssert.One(
            userCode,
            0.2,
            ("corskit.user_code.kind", "policy_provider"),
            ("corskit.policy.name", "tenants"),
            ("error.type", "System.TimeoutException"));
    }

    [Fact]
    public async Task ProviderAnswersNone_CountedAsNoPolicy()
    {
        var time = new FakeTimeProvider();
        await using var app = await StartAsync(
            o => o.AddPolicyProvider("tenants", (_, _) => ValueTask.FromResult<CorsPolicy?>(null)),
            time,
            map: app => app.MapGet("/tenant", () => "tenant").WithCors("tenants"));
        using var requests = Requests(app);
        using var userCode = UserCode(app);

        var response = await app.GetAsync("/tenant", Page);

        Assert.Equal("tenant", await response.Content.ReadAsStringAsync());
        CorsAssert.Headers(response);
        MetricsAssert.One(requests, 1, ("corskit.outcome", "no_policy"), ("corskit.preflight", false));
        MetricsAssert.One(userCode, 0, ("corskit.user_code.kind", "policy_provider"), ("corskit.policy.name", "tenants"));
    }

    [Fact]
    public async Task OriginPredicate_Asked_ItsWaitRecorded_AndNotWhenTheEntriesAnswer()
    {
        var time = new FakeTimeProvider();
        await using var app = await StartAsync(
            o => o.AddPolicy("partners", p => p.WithOrigins(Page).WithOriginPredicate(origin =>
            {
                time.Advance(TimeSpan.FromMilliseconds(40));
                return origin == "https://partner.example";
            })),
            time,
            map: app => app.MapGet("/partner", () => "partner").WithCors("partners"));
        using var requests = Requests(app);
        using var userCode = UserCode(app);

        var listed = await app.GetAsync("/partner", Page);
        var partner = await app.GetAsync("/partner", "https://partner.example");

        CorsAssert.Headers(listed, ("Access-Control-Allow-Origin", Page), ("Vary", "Origin"));
        CorsAssert.Headers(partner, ("Access-Control-Allow-Origin", "https://partner.example"), ("Vary", "Origin"));
        Assert.Equal(
            [
                "1 corskit.outcome=allowed corskit.policy.name=partners corskit.preflight=False",
                "1 corskit.outcome=allowed corskit.policy.name=partners corskit.preflight=False",
            ],
            MetricsAssert.Lines(requests));
        MetricsAssert.One(userCode, 0.04, ("corskit.user_code.kind", "origin_predicate"), ("corskit.policy.name", "partners"));
    }

    [Fact]
    public async Task OriginPredicateThrows_CountedAsOriginCheckFailed_AndItsWaitRecordedWithTheErrorType()
    {
        var time = new FakeTimeProvider();
        await using var app = await StartAsync(
            o => o.AddPolicy("partners", p => p.WithOriginPredicate(_ => throw new KeyNotFoundException("partner table missing"))),
            time,
            map: app => app.MapGet("/partner", () => "partner").WithCors("partners"));
        using var requests = Requests(app);
        using var userCode = UserCode(app);

        var response = await app.GetAsync("/partner", "https://partner.example");

        Assert.Equal("partner", await response.Content.ReadAsStringAsync());
        CorsAssert.Headers(response, ("Vary", "Origin"));
        MetricsAssert.One(
            requests,
            1,
            ("corskit.outcome", "rejected"),
            ("corskit.preflight", false),
            ("corskit.policy.name", "partners"),
            ("corskit.rejection.reason", "origin_check_failed"));
        MetricsAssert.One(
            userCode,
            0,
            ("corskit.user_code.kind", "origin_predicate"),
            ("corskit.policy.name", "partners"),
            ("error.type", "System.Collections.Generic.KeyNotFoundException"));
    }

    [Fact]
    public async Task TwoApps_EachMeterSeesOnlyItsOwnRequests()
    {
        await using var first = await StartAsync();
        await using var second = await StartAsync();
        using var firstRequests = Requests(first);
        using var secondRequests = Requests(second);

        await first.GetAsync("/data", Page);

        MetricsAssert.One(firstRequests, 1, ("corskit.outcome", "allowed"), ("corskit.preflight", false), ("corskit.policy.name", "default"));
        Assert.Empty(secondRequests.GetMeasurementSnapshot());
    }

    private static MetricCollector<long> Requests(TestApp app) =>
        new(app.App.Services.GetRequiredService<IMeterFactory>(), "CorsKit", "corskit.requests");

    private static MetricCollector<double> UserCode(TestApp app) =>
        new(app.App.Services.GetRequiredService<IMeterFactory>(), "CorsKit", "corskit.user_code.duration");

    private static Task<TestApp> StartAsync(Action<CorsKitOptions>? more = null, TimeProvider? time = null, Action<WebApplication>? map = null) =>
        TestApp.StartAsync(
            o =>
            {
                o.AddDefaultPolicy(p => p.WithOrigins(Page).WithMethods("PUT").WithHeaders("x-token"));
                more?.Invoke(o);
            },
            app =>
            {
                app.MapGet("/data", () => "payload");
                app.MapPut("/data", () => "put");
                app.MapGet("/internal", () => "internal").WithoutCors();
                map?.Invoke(app);
            },
            builder =>
            {
                if (time is not null)
                {
                    builder.Services.AddSingleton(time);
                }
            });
}

using CorsKit.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;

namespace CorsKit.AspNetCore.Tests.Pipeline;

public sealed class PreflightTests
{
    private const string App = "https://app.example.com";

    private static Task<TestApp> StartAsync(Action<CorsKit.Policies.CorsPolicyBuilder> policy, string environment = "Production") =>
        TestApp.StartAsync(
            o => o.AddDefaultPolicy(policy),
            app =>
            {
                app.MapPut("/items", () => "updated");
                app.MapDelete("/items", () => "deleted");
            },
            environment: environment);

    [Fact]
    public async Task Preflight_Allowed_AnsweredWith204AndPolicyLists()
    {
        await using var app = await StartAsync(p => p.WithOrigins(App).WithMethods("PUT", "DELETE").WithHeaders("X-Token", "Content-Type").AllowCredentials().WithMaxAge(TimeSpan.FromMinutes(10)));

        var response = await app.PreflightAsync("/items", App, "PUT", "content-type,x-token");

        Assert.Equal(204, (int)response.StatusCode);
        Assert.Equal(string.Empty, await response.Content.ReadAsStringAsync());
        CorsAssert.Headers(
            response,
            ("Access-Control-Allow-Origin", App),
            ("Access-Control-Allow-Credentials", "true"),
            ("Access-Control-Allow-Methods", "PUT,DELETE"),
            ("Access-Control-Allow-Headers", "x-token,content-type"),
            ("Access-Control-Max-Age", "600"),
            ("Vary", "Origin"));
    }

    [Fact]
    public async Task Preflight_DoesNotRunTheEndpoint()
    {
        var calls = 0;
        await using var app = await TestApp.StartAsync(
            o => o.AddDefaultPolicy(p => p.WithOrigins(App).WithMethods("DELETE")),
            a => a.MapDelete("/items", () => ++calls));

        var response = await app.PreflightAsync("/items", App, "DELETE");

        Assert.Equal(204, (int)response.StatusCode);
        Assert.Equal(0, calls);
    }

    [Fact]
    public async Task Preflight_DisallowedMethod_SendsOriginAndPolicyListsNotTheRequests()
    {
        await using var app = await StartAsync(p => p.WithOrigins(App).WithMethods("PUT").WithHeaders("x-token"));

        var response = await app.PreflightAsync("/items", App, "DELETE");

        Assert.Equal(204, (int)response.StatusCode);
        CorsAssert.Headers(
            response,
            ("Access-Control-Allow-Origin", App),
            ("Access-Control-Allow-Methods", "PUT"),
            ("Access-Control-Allow-Headers", "x-token"),
            ("Vary", "Origin"));
        var log = Assert.Single(app.Logs.ForEvent(2));
        Assert.Equal(CorsKit.Evaluation.RejectionReason.MethodNotAllowed, log.Values["Reason"]);
        Assert.Equal("DELETE", log.Values["RejectedValue"]);
    }

    [Fact]
    public async Task Preflight_DisallowedHeader_SendsPolicyHeaderList()
    {
        await using var app = await StartAsync(p => p.WithOrigins(App).WithMethods("PUT").WithHeaders("content-type", "x-api-key"));

        var response = await app.PreflightAsync("/items", App, "PUT", "content-type,x-token");

        CorsAssert.Headers(
            response,
            ("Access-Control-Allow-Origin", App),
            ("Access-Control-Allow-Methods", "PUT"),
            ("Access-Control-Allow-Headers", "content-type,x-api-key"),
            ("Vary", "Origin"));
        var log = Assert.Single(app.Logs.ForEvent(2));
        Assert.Equal(CorsKit.Evaluation.RejectionReason.HeaderNotAllowed, log.Values["Reason"]);
        Assert.Equal("x-token", log.Values["RejectedValue"]);
    }

    [Fact]
    public async Task Preflight_DisallowedOrigin_NoCorsHeaders()
    {
        await using var app = await StartAsync(p => p.WithOrigins(App).WithMethods("PUT"));

        var response = await app.PreflightAsync("/items", "https://evil.example", "PUT");

        Assert.Equal(204, (int)response.StatusCode);
        CorsAssert.Headers(response, ("Vary", "Origin"));
    }

    [Fact]
    public async Task Preflight_AnyMethodAndHeader_EchoesRequestAndVariesOnIt()
    {
        await using var app = await StartAsync(p => p.WithOrigins(App).AllowAnyMethod().AllowAnyHeader().AllowCredentials());

        var response = await app.PreflightAsync("/items", App, "DELETE", "authorization,x-token");

        CorsAssert.Headers(
            response,
            ("Access-Control-Allow-Origin", App),
            ("Access-Control-Allow-Credentials", "true"),
            ("Access-Control-Allow-Methods", "DELETE"),
            ("Access-Control-Allow-Headers", "authorization,x-token"),
            ("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"));
    }

    [Fact]
    public async Task Preflight_ConfiguredStatus_Used()
    {
        await using var app = await StartAsync(p => p.WithOrigins(App).WithMethods("PUT").WithPreflightStatus(200));

        var response = await app.PreflightAsync("/items", App, "PUT");

        Assert.Equal(200, (int)response.StatusCode);
    }

    [Fact]
    public async Task Preflight_PassedToEndpoint_ThePathsOptionsEndpointAnswersWithCorsHeaders()
    {
        var puts = 0;
        await using var app = await TestApp.StartAsync(
            o => o.AddDefaultPolicy(p => p.WithOrigins(App).WithMethods("PUT").PassPreflightToEndpoint()),
            a =>
            {
                a.MapPut("/items", () => ++puts);
                a.MapMethods("/items", ["OPTIONS"], () => "endpoint answered");
            });

        var response = await app.PreflightAsync("/items", App, "PUT");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("endpoint answered", await response.Content.ReadAsStringAsync());
        CorsAssert.Headers(response, ("Access-Control-Allow-Origin", App), ("Access-Control-Allow-Methods", "PUT"), ("Vary", "Origin"));
        Assert.Equal(0, puts); // the PUT endpoint never runs for the OPTIONS request
    }

    [Fact]
    public async Task Preflight_PassedToEndpoint_PathWithoutOptionsEndpoint_AnsweredFromThePolicy()
    {
        var puts = 0;
        await using var app = await TestApp.StartAsync(
            o => o.AddDefaultPolicy(p => p.WithOrigins(App).WithMethods("PUT").PassPreflightToEndpoint()),
            a => a.MapPut("/items", () => ++puts));

        var response = await app.PreflightAsync("/items", App, "PUT");

        Assert.Equal(204, (int)response.StatusCode);
        CorsAssert.Headers(response, ("Access-Control-Allow-Origin", App), ("Access-Control-Allow-Methods", "PUT"), ("Vary", "Origin"));
        Assert.Equal(0, puts);
    }

    [Fact]
    public async Task Preflight_Rejected_DebugMode_CarriesDiagnosticHeaderAndWarning()
    {
        await using var app = await StartAsync(p => p.WithOrigins(App).WithMethods("PUT").WithHeaders("content-type", "x-api-key"), environment: "Development");

        var response = await app.PreflightAsync("/items", App, "PUT", "x-token");

        CorsAssert.Headers(
            response,
            ("Access-Control-Allow-Origin", App),
            ("Access-Control-Allow-Methods", "PUT"),
            ("Access-Control-Allow-Headers", "content-type,x-api-key"),
            ("Vary", "Origin"),
            ("X-CorsKit-Reason", "header 'x-token' is not allowed by policy 'default'; allowed: content-type, x-api-key"));
        var warning = Assert.Single(app.Logs.ForEvent(3));
        Assert.Equal("CORS rejected (debug mode): header 'x-token' is not allowed by policy 'default'; allowed: content-type, x-api-key", warning.Message);
    }

    [Fact]
    public async Task Preflight_PrivateNetworkRequested_AllowedOnlyWhenOptedIn()
    {
        await using var app = await StartAsync(p => p.WithOrigins(App).WithMethods("PUT").AllowPrivateNetwork());

        var response = await app.SendAsync(HttpMethod.Options, "/items", App, ("Access-Control-Request-Method", "PUT"), ("Access-Control-Request-Private-Network", "true"));

        CorsAssert.Headers(
            response,
            ("Access-Control-Allow-Origin", App),
            ("Access-Control-Allow-Methods", "PUT"),
            ("Access-Control-Allow-Private-Network", "true"),
            ("Vary", "Origin"));
    }

    [Fact]
    public async Task Options_WithoutRequestMethod_IsNotAPreflight()
    {
        await using var app = await TestApp.StartAsync(
            o => o.AddDefaultPolicy(p => p.WithOrigins(App)),
            a => a.MapMethods("/items", ["OPTIONS"], () => "plain options"));

        var response = await app.SendAsync(HttpMethod.Options, "/items", App);

        Assert.Equal("plain options", await response.Content.ReadAsStringAsync());
        CorsAssert.Headers(response, ("Access-Control-Allow-Origin", App), ("Vary", "Origin"));
    }
}

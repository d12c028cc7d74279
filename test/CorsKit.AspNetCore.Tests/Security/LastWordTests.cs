using CorsKit.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CorsKit.AspNetCore.Tests.Security;

/// <summary>CorsKit has the last word on Access-Control-*, on Kestrel: an app-set header never grants what the policy refused.</summary>
public sealed class LastWordTests
{
    private const string App = "https://app.example.com";
    private const string Evil = "https://evil.example";

    // The Flask tutorial's reflection: whatever Origin came, with credentials.
    private static void Reflect(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.AccessControlAllowOrigin = context.Request.Headers.Origin.ToString();
        headers.AccessControlAllowCredentials = "true";
        headers.AccessControlAllowMethods = "PUT,DELETE";
        headers.AccessControlAllowHeaders = "x-admin";
        headers.AccessControlExposeHeaders = "X-Secret";
        headers.AccessControlMaxAge = "86400";
        headers["Access-Control-Allow-Private-Network"] = "true";
    }

    private static Task<TestApp> StartAsync(Action<WebApplication> map, string environment = "Production") =>
        TestApp.StartAsync(
            o => o.AddDefaultPolicy(p => p.WithOrigins(App).WithMethods("PUT").WithExposedHeaders("X-Total-Count")),
            map,
            environment: environment,
            kestrel: true);

    [Fact]
    public async Task EndpointReflectsRefusedOrigin_EveryAccessControlHeaderRemoved_LoggedOncePerEndpoint()
    {
        await using var app = await StartAsync(a => a.MapGet("/data", (HttpContext context) =>
        {
            Reflect(context);
            return "payload";
        }));

        for (var i = 0; i < 3; i++)
        {
            var response = await app.GetAsync("/data", Evil);
            Assert.Equal("payload", await response.Content.ReadAsStringAsync());
            CorsAssert.Headers(response, ("Vary", "Origin"));
        }

        var entry = Assert.Single(app.Logs.ForEvent(5));
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.Equal("HTTP: GET /data", entry.Values["Endpoint"]);
        Assert.Equal("Access-Control-Allow-Origin", entry.Values["Header"]);
        Assert.Equal(Evil, entry.Values["Value"]);
        Assert.Equal("default", entry.Values["PolicyName"]);
    }

    [Fact]
    public async Task EndpointReflectsAllowedOrigin_OnlyThePolicysAnswerRemains()
    {
        await using var app = await StartAsync(a => a.MapGet("/data", (HttpContext context) =>
        {
            Reflect(context);
            return "payload";
        }));

        var response = await app.GetAsync("/data", App);

        // The origin was the policy's answer too; credentials, exposure and the preflight-only headers were not.
        CorsAssert.Headers(response, ("Access-Control-Allow-Origin", App), ("Access-Control-Expose-Headers", "X-Total-Count"), ("Vary", "Origin"));
        Assert.Equal("Access-Control-Allow-Credentials", Assert.Single(app.Logs.ForEvent(5)).Values["Header"]);
    }

    [Fact]
    public async Task HookOnEndpointReflectsOnPreflightCorsKitAnswers_RemovedForRefusedOrigin()
    {
        await using var app = await StartAsync(a => a.MapPut("/data", () => "updated").AfterRequest(Reflect));

        var refused = await app.PreflightAsync("/data", Evil, "PUT");
        var allowed = await app.PreflightAsync("/data", App, "PUT");

        Assert.Equal(204, (int)refused.StatusCode);
        CorsAssert.Headers(refused, ("Vary", "Origin"));
        CorsAssert.Headers(allowed, ("Access-Control-Allow-Origin", App), ("Access-Control-Allow-Methods", "PUT"), ("Vary", "Origin"));
        Assert.Equal("HTTP: PUT /data", Assert.Single(app.Logs.ForEvent(5)).Values["Endpoint"]);
    }

    [Fact]
    public async Task AppWideHookReflects_OnAPathWithoutEndpoint_Removed()
    {
        await using var app = await StartAsync(a => a.AfterRequest(Reflect));

        var response = await app.GetAsync("/missing", Evil);

        Assert.Equal(404, (int)response.StatusCode);
        CorsAssert.Headers(response, ("Vary", "Origin"));
        Assert.Equal("The app (no endpoint)", Assert.Single(app.Logs.ForEvent(5)).Values["Endpoint"]);
    }

    [Fact]
    public async Task WithoutCorsEndpointSetsAllowOrigin_RemovedNoCorsHeadersAtAll()
    {
        await using var app = await StartAsync(a => a.MapGet("/internal", (HttpContext context) =>
        {
            Reflect(context);
            return "internal";
        }).WithoutCors());

        var response = await app.GetAsync("/internal", Evil);

        Assert.Equal("internal", await response.Content.ReadAsStringAsync());
        CorsAssert.Headers(response);
        Assert.Equal("(none)", Assert.Single(app.Logs.ForEvent(5)).Values["PolicyName"]);
    }

    [Fact]
    public async Task EndpointSetsThePolicysOwnValue_KeptAndNotLogged()
    {
        await using var app = await StartAsync(a => a.MapGet("/data", (HttpResponse response) =>
        {
            response.Headers.AccessControlAllowOrigin = App;
            response.Headers.AccessControlExposeHeaders = "X-Total-Count";
            return "payload";
        }));

        var response = await app.GetAsync("/data", App);

        CorsAssert.Headers(response, ("Access-Control-Allow-Origin", App), ("Access-Control-Expose-Headers", "X-Total-Count"), ("Vary", "Origin"));
        Assert.Empty(app.Logs.ForEvent(5));
    }

    [Fact]
    public async Task DebugMode_RemovedHeaderNamedBesideTheRefusal()
    {
        await using var app = await StartAsync(
            a => a.MapGet("/data", (HttpContext context) =>
            {
                Reflect(context);
                return "payload";
            }),
            environment: "Development");

        var response = await app.GetAsync("/data", Evil);

        CorsAssert.Headers(
            response,
            ("Vary", "Origin"),
            ("X-CorsKit-Reason", $"origin '{Evil}' is not allowed by policy 'default'; allowed: {App}; Access-Control-Allow-Origin set by the app ('{Evil}') was removed: the CorsKit policy decides"));
    }
}

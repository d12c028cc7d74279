using CorsKit.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CorsKit.AspNetCore.Tests.Pipeline;

public sealed class SimpleRequestTests
{
    private const string App = "https://app.example.com";

    private static Task<TestApp> StartAsync(Action<CorsKit.Policies.CorsPolicyBuilder> policy) =>
        TestApp.StartAsync(o => o.AddDefaultPolicy(policy), app => app.MapGet("/data", () => "payload"));

    [Fact]
    public async Task Get_AllowedOrigin_EchoesOriginAndVaries()
    {
        await using var app = await StartAsync(p => p.WithOrigins(App));

        var response = await app.GetAsync("/data", App);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("payload", await response.Content.ReadAsStringAsync());
        CorsAssert.Headers(response, ("Access-Control-Allow-Origin", App), ("Vary", "Origin"));
    }

    [Fact]
    public async Task Get_DisallowedOrigin_ServedWithoutCorsHeadersButVaries()
    {
        await using var app = await StartAsync(p => p.WithOrigins(App));

        var response = await app.GetAsync("/data", "https://evil.example");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("payload", await response.Content.ReadAsStringAsync());
        CorsAssert.Headers(response, ("Vary", "Origin"));
        var log = Assert.Single(app.Logs.ForEvent(2));
        Assert.Equal("https://evil.example", log.Values["Origin"]);
        Assert.Equal("default", log.Values["PolicyName"]);
        Assert.Equal(CorsKit.Evaluation.RejectionReason.OriginNotAllowed, log.Values["Reason"]);
    }

    [Fact]
    public async Task Get_NoOrigin_OnlyVary()
    {
        await using var app = await StartAsync(p => p.WithOrigins(App));

        var response = await app.GetAsync("/data", origin: null);

        Assert.Equal("payload", await response.Content.ReadAsStringAsync());
        CorsAssert.Headers(response, ("Vary", "Origin"));
    }

    [Fact]
    public async Task Get_Credentials_SendsAllowCredentialsAndExposedHeaders()
    {
        await using var app = await StartAsync(p => p.WithOrigins(App).AllowCredentials().WithExposedHeaders("X-Total-Count", "X-Page"));

        var response = await app.GetAsync("/data", App);

        CorsAssert.Headers(
            response,
            ("Access-Control-Allow-Origin", App),
            ("Access-Control-Allow-Credentials", "true"),
            ("Access-Control-Expose-Headers", "X-Total-Count,X-Page"),
            ("Vary", "Origin"));
    }

    [Fact]
    public async Task Get_AnyOriginWithoutCredentials_SendsStarAndNoVary()
    {
        await using var app = await StartAsync(p => p.AllowAnyOrigin());

        var response = await app.GetAsync("/data", "https://anyone.example");

        CorsAssert.Headers(response, ("Access-Control-Allow-Origin", "*"));
    }

    [Fact]
    public async Task Get_TwoOriginHeaders_Malformed_NoCorsHeaders()
    {
        await using var app = await StartAsync(p => p.WithOrigins(App));

        var response = await app.SendAsync(HttpMethod.Get, "/data", App, ("Origin", App));

        Assert.Equal(200, (int)response.StatusCode);
        CorsAssert.Headers(response, ("Vary", "Origin"));
    }

    [Fact]
    public async Task Post_AllowedOrigin_HeadersOnNonGetToo()
    {
        await using var app = await TestApp.StartAsync(o => o.AddDefaultPolicy(p => p.WithOrigins(App)), a => a.MapPost("/data", () => Results.Created("/data/1", "made")));

        var response = await app.SendAsync(HttpMethod.Post, "/data", App);

        Assert.Equal(201, (int)response.StatusCode);
        CorsAssert.Headers(response, ("Access-Control-Allow-Origin", App), ("Vary", "Origin"));
    }

    [Fact]
    public async Task Get_NotFound_StillCarriesCorsHeaders()
    {
        await using var app = await StartAsync(p => p.WithOrigins(App));

        var response = await app.GetAsync("/missing", App);

        Assert.Equal(404, (int)response.StatusCode);
        CorsAssert.Headers(response, ("Access-Control-Allow-Origin", App), ("Vary", "Origin"));
    }
}

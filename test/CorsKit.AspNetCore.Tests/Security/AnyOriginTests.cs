using CorsKit.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;

namespace CorsKit.AspNetCore.Tests.Security;

/// <summary>
/// A policy open to any origin (without credentials) sends <c>Access-Control-Allow-Origin: *</c> on every response, so a
/// shared cache that stored a plain request's answer serves every origin correctly (Fetch, "CORS protocol and HTTP caches").
/// </summary>
public sealed class AnyOriginTests
{
    private static Task<TestApp> StartAsync() =>
        TestApp.StartAsync(
            o => o.AddDefaultPolicy(p => p.AllowAnyOrigin().WithExposedHeaders("X-Total-Count")),
            a => a.MapGet("/public", () => "open data"),
            kestrel: true);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("https://any.example")]
    [InlineData("null")]
    [InlineData("not an origin")]
    public async Task AnyOrigin_EveryRequest_StarAndExposedHeadersWithoutVary(string? origin)
    {
        await using var app = await StartAsync();

        var response = await app.GetAsync("/public", origin);

        Assert.Equal("open data", await response.Content.ReadAsStringAsync());
        CorsAssert.Headers(response, ("Access-Control-Allow-Origin", "*"), ("Access-Control-Expose-Headers", "X-Total-Count"));
    }

    [Fact]
    public async Task AnyOrigin_Preflight_StillAnsweredAsAPreflight()
    {
        await using var app = await StartAsync();

        var response = await app.PreflightAsync("/public", "https://any.example", "GET", "x-token");

        Assert.Equal(204, (int)response.StatusCode);
        CorsAssert.Headers(response, ("Access-Control-Allow-Origin", "*"));
    }

    [Fact]
    public async Task AnyOriginWithCredentialsRefused_NotApplicable_OriginListStillVaries()
    {
        await using var app = await TestApp.StartAsync(
            o => o.AddDefaultPolicy(p => p.WithOrigins("https://app.example.com")),
            a => a.MapGet("/data", () => "payload"),
            kestrel: true);

        var response = await app.GetAsync("/data", null);

        CorsAssert.Headers(response, ("Vary", "Origin"));
    }
}

using CorsKit.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CorsKit.AspNetCore.Tests.Pipeline;

public sealed class EndpointSetAllowOriginTests
{
    [Fact]
    public async Task Handler_SetAllowOriginItself_ReplacedByThePolicysAnswerAndAWarning()
    {
        await using var app = await TestApp.StartAsync(
            o => o.AddDefaultPolicy(p => p.WithOrigins("https://app.example.com")),
            a => a.MapGet("/flask-style", (HttpResponse response) =>
            {
                response.Headers.AccessControlAllowOrigin = "*";
                return "payload";
            }));

        var response = await app.GetAsync("/flask-style", "https://app.example.com");

        CorsAssert.Headers(response, ("Access-Control-Allow-Origin", "https://app.example.com"), ("Vary", "Origin"));
        var warning = Assert.Single(app.Logs.ForEvent(5));
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, warning.Level);
        Assert.Equal("HTTP: GET /flask-style", warning.Values["Endpoint"]);
        Assert.Equal("Access-Control-Allow-Origin", warning.Values["Header"]);
        Assert.Equal("*", warning.Values["Value"]);
    }

    [Fact]
    public async Task Handler_SetThePolicysOwnOrigin_CorsKitCompletesCredentialsAndExposure()
    {
        await using var app = await TestApp.StartAsync(
            o => o.AddDefaultPolicy(p => p.WithOrigins("https://app.example.com").AllowCredentials().WithExposedHeaders("X-Total-Count")),
            a => a.MapGet("/flask-style", (HttpResponse response) =>
            {
                response.Headers.AccessControlAllowOrigin = "https://app.example.com";
                return "payload";
            }));

        var response = await app.GetAsync("/flask-style", "https://app.example.com");

        CorsAssert.SingleLine(response, "Access-Control-Allow-Origin", "https://app.example.com");
        CorsAssert.Headers(
            response,
            ("Access-Control-Allow-Origin", "https://app.example.com"),
            ("Access-Control-Allow-Credentials", "true"),
            ("Access-Control-Expose-Headers", "X-Total-Count"),
            ("Vary", "Origin"));
        Assert.Empty(app.Logs.ForEvent(5));
    }
}

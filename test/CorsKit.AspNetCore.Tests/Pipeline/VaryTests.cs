using CorsKit.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CorsKit.AspNetCore.Tests.Pipeline;

public sealed class VaryTests
{
    private const string App = "https://app.example.com";

    private static Task<TestApp> StartAsync(string? vary) =>
        TestApp.StartAsync(
            o => o.AddDefaultPolicy(p => p.WithOrigins(App)),
            a => a.MapGet("/data", (HttpResponse response) =>
            {
                if (vary is not null)
                {
                    response.Headers.Vary = vary;
                }

                return "payload";
            }));

    [Fact]
    public async Task Vary_SetByApp_OriginAppended()
    {
        await using var app = await StartAsync("Accept-Encoding");

        var response = await app.GetAsync("/data", App);

        CorsAssert.Headers(response, ("Access-Control-Allow-Origin", App), ("Vary", "Accept-Encoding, Origin"));
    }

    [Fact]
    public async Task Vary_AppAlreadyVariesOnOrigin_NotDuplicated()
    {
        await using var app = await StartAsync("accept-encoding, origin");

        var response = await app.GetAsync("/data", App);

        CorsAssert.Headers(response, ("Access-Control-Allow-Origin", App), ("Vary", "accept-encoding, origin"));
    }

    [Fact]
    public async Task Vary_Star_LeftAlone()
    {
        await using var app = await StartAsync("*");

        var response = await app.GetAsync("/data", "https://evil.example");

        CorsAssert.Headers(response, ("Vary", "*"));
    }
}

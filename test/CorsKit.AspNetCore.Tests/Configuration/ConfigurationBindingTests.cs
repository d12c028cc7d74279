using CorsKit.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CorsKit.AspNetCore.Tests.Configuration;

public sealed class ConfigurationBindingTests
{
    private const string Json = """
        {
          "CorsKit": {
            "DefaultPolicy": "spa",
            "Policies": {
              "spa": {
                "Origins": [ "https://App.Example.com" ],
                "Methods": [ "PUT" ],
                "Headers": [ "X-Token" ],
                "ExposedHeaders": [ "X-Total-Count" ],
                "AllowCredentials": true,
                "MaxAgeSeconds": 600
              },
              "public": { "Origins": [ "*" ] }
            }
          }
        }
        """;

    private static Task<TestApp> StartAsync(string json) => TestApp.StartAsync(
        cors: null,
        app =>
        {
            app.MapPut("/items", () => "i");
            app.MapGet("/public", () => "p").WithCors("public");
        },
        builder =>
        {
            builder.Configuration.AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json)));
            builder.Services.AddCorsKit(builder.Configuration.GetSection("CorsKit"));
        });

    [Fact]
    public async Task Bound_DefaultPolicy_Preflight()
    {
        await using var app = await StartAsync(Json);

        var response = await app.PreflightAsync("/items", "https://app.example.com", "PUT", "x-token");

        CorsAssert.Headers(
            response,
            ("Access-Control-Allow-Origin", "https://app.example.com"),
            ("Access-Control-Allow-Credentials", "true"),
            ("Access-Control-Allow-Methods", "PUT"),
            ("Access-Control-Allow-Headers", "x-token"),
            ("Access-Control-Max-Age", "600"),
            ("Vary", "Origin"));
    }

    [Fact]
    public async Task Bound_NamedPolicy_AnyOrigin()
    {
        await using var app = await StartAsync(Json);

        var response = await app.GetAsync("/public", "https://anyone.example");

        CorsAssert.Headers(response, ("Access-Control-Allow-Origin", "*"));
    }

    [Fact]
    public async Task Bound_InvalidOrigin_StartupFailsWithTheBuildersMessage()
    {
        var json = Json.Replace("https://App.Example.com", "https://app.example.com/", StringComparison.Ordinal);

        var error = await Assert.ThrowsAsync<CorsKit.Policies.CorsPolicyException>(() => StartAsync(json));

        Assert.Equal("CORS policy 'spa': \"https://app.example.com/\" has a path (a trailing slash); an origin is scheme://host[:port], so write \"https://app.example.com\"", error.Message);
    }
}

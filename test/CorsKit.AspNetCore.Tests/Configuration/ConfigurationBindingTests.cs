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
    public async Task Bound_InvalidOrigin_StartupFailsNamingTheEntrysPath()
    {
        var json = Json.Replace("https://App.Example.com", "https://app.example.com/", StringComparison.Ordinal);

        var error = await Assert.ThrowsAsync<CorsKit.Policies.CorsPolicyException>(() => StartAsync(json));

        Assert.Equal("CORS policy 'spa': CorsKit:Policies:spa:Origins:0: \"https://app.example.com/\" has a path (a trailing slash); an origin is scheme://host[:port], so write \"https://app.example.com\"", error.Message);
    }

    [Fact]
    public async Task Bound_SeveralInvalidEntries_EachNamedByItsPath()
    {
        var json = """
            {
              "CorsKit": {
                "Policies": {
                  "spa": {
                    "Origins": [ "https://app.example.com", "null" ],
                    "Methods": [ "PUT", "GET POST" ],
                    "ExposedHeaders": [ "*" ],
                    "AllowCredentials": true,
                    "PreflightStatus": 302
                  },
                  "public": { "Origins": [ "*" ] }
                }
              }
            }
            """;

        var error = await Assert.ThrowsAsync<CorsKit.Policies.CorsPolicyException>(() => StartAsync(json));

        Assert.Equal(
            string.Join(
                Environment.NewLine,
                "CORS policy 'spa' has 4 problems:",
                "- CorsKit:Policies:spa:Origins:1: \"null\" (the opaque origin) together with credentials lets every sandboxed iframe and data: page, on any site, send credentialed requests and read the answers, since all of them send Origin: null; drop AllowCredentials() (without credentials \"null\" stays allowed, to serve a sandboxed page), or give the sandboxed page a real origin (sandbox=\"allow-scripts allow-same-origin\") and list that origin instead",
                "- CorsKit:Policies:spa:Methods:1: method \"GET POST\" is not a valid HTTP token (letters, digits and !#$%&'*+-.^_`|~ only; one name per entry, no commas or spaces)",
                "- CorsKit:Policies:spa:ExposedHeaders:0: exposed header '*' with credentials exposes only a header literally named '*'; list the header names instead",
                "- CorsKit:Policies:spa:PreflightStatus: preflight status 302 fails in every browser (a preflight needs 200-299); use 204 (the default) or 200"),
            error.Message);
    }

    [Fact]
    public async Task Bound_NoOrigin_NamedByThePolicysOriginsPath()
    {
        var json = """{ "CorsKit": { "Policies": { "spa": { "Methods": [ "PUT" ] }, "public": { "Origins": [ "*" ] } } } }""";

        var error = await Assert.ThrowsAsync<CorsKit.Policies.CorsPolicyException>(() => StartAsync(json));

        Assert.Equal("CORS policy 'spa': CorsKit:Policies:spa:Origins: it allows no origin; add WithOrigins(\"https://app.example.com\") (or AllowAnyOrigin() for a public API without credentials)", error.Message);
    }

    [Fact]
    public async Task Bound_ValueOfTheWrongType_StartupFailsNamingItsPath()
    {
        var json = Json.Replace("\"MaxAgeSeconds\": 600", "\"MaxAgeSeconds\": \"ten minutes\"", StringComparison.Ordinal);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(json));

        Assert.Equal("Failed to convert configuration value 'ten minutes' at 'CorsKit:Policies:spa:MaxAgeSeconds' to type 'System.Int32'. docs/configuration.md lists every key with its type.", error.Message);
    }

    [Fact]
    public async Task Bound_UnknownKey_StartupFailsNamingIt()
    {
        var json = Json.Replace("\"Origins\": [ \"https://App.Example.com\" ]", "\"Origin\": [ \"https://App.Example.com\" ]", StringComparison.Ordinal);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(json));

        Assert.Equal("CorsKit:Policies:spa:Origin is not a CorsKit setting; the keys here are Origins, OriginPatterns, AllowBacktrackingOriginRegex, Methods, Headers, ExposedHeaders, AllowCredentials, MaxAgeSeconds, AllowPrivateNetwork, PreflightStatus, PassPreflightToEndpoint (docs/configuration.md).", error.Message);
    }
}

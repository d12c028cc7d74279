using CorsKit.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;

namespace CorsKit.AspNetCore.Tests.Policies;

public sealed class OriginEntryTests
{
    private static Task<TestApp> StartAsync(Action<CorsKit.Policies.CorsPolicyBuilder> policy) =>
        TestApp.StartAsync(o => o.AddDefaultPolicy(policy), app => app.MapGet("/data", () => "payload"));

    [Theory]
    [InlineData("https://a.example.com", true)]
    [InlineData("https://deep.er.example.com", true)]
    [InlineData("https://example.com", false)]                 // the apex is not a subdomain
    [InlineData("https://evilexample.com", false)]             // suffix without the dot
    [InlineData("https://example.com.evil.com", false)]        // prefix lookalike
    [InlineData("https://a.example.com.evil.com", false)]
    [InlineData("http://a.example.com", false)]                // other scheme
    [InlineData("https://a.example.com:8443", false)]          // other port
    [InlineData("https://A.example.com", false)]               // not a serialized origin (browsers lower-case)
    public async Task WildcardSubdomain_OnlyTrueSubdomainsAllowed(string origin, bool allowed)
    {
        await using var app = await StartAsync(p => p.WithOrigins("https://*.example.com").SetIsOriginAllowedToAllowWildcardSubdomains());

        var response = await app.GetAsync("/data", origin);

        if (allowed)
        {
            CorsAssert.Headers(response, ("Access-Control-Allow-Origin", origin), ("Vary", "Origin"));
        }
        else
        {
            CorsAssert.Headers(response, ("Vary", "Origin"));
        }
    }

    [Theory]
    [InlineData("https://www.example.com", true)]
    [InlineData("https://api.example.com", true)]
    [InlineData("https://wwwxexample.com", false)]             // the escaped dot holds
    [InlineData("https://www.example.com.evil.com", false)]    // anchored at the end
    [InlineData("https://evil.com/https://www.example.com", false)]
    public async Task Regex_AnchoredAndEscaped(string origin, bool allowed)
    {
        await using var app = await StartAsync(p => p.WithOriginRegex(@"https://(www|api)\.example\.com"));

        var response = await app.GetAsync("/data", origin);

        if (allowed)
        {
            CorsAssert.Headers(response, ("Access-Control-Allow-Origin", origin), ("Vary", "Origin"));
        }
        else
        {
            CorsAssert.Headers(response, ("Vary", "Origin"));
        }
    }

    [Fact]
    public async Task NullOrigin_RefusedUnlessListed()
    {
        await using var strict = await StartAsync(p => p.WithOrigins("https://app.example.com"));
        await using var allowsNull = await StartAsync(p => p.WithOrigins("https://app.example.com", "null"));

        var refused = await strict.GetAsync("/data", "null");
        var allowed = await allowsNull.GetAsync("/data", "null");

        CorsAssert.Headers(refused, ("Vary", "Origin"));
        CorsAssert.Headers(allowed, ("Access-Control-Allow-Origin", "null"), ("Vary", "Origin"));
    }

    [Fact]
    public async Task ConfiguredMixedCaseAndDefaultPort_MatchesTheBrowsersSerialization()
    {
        await using var app = await StartAsync(p => p.WithOrigins("HTTPS://App.Example.COM:443", "http://LOCALHOST:80", "http://127.0.0.1:5081"));

        var https = await app.GetAsync("/data", "https://app.example.com");
        var http = await app.GetAsync("/data", "http://localhost");
        var port = await app.GetAsync("/data", "http://127.0.0.1:5081");
        var explicitDefault = await app.GetAsync("/data", "https://app.example.com:443");
        var upper = await app.GetAsync("/data", "HTTPS://APP.EXAMPLE.COM");

        CorsAssert.Headers(https, ("Access-Control-Allow-Origin", "https://app.example.com"), ("Vary", "Origin"));
        CorsAssert.Headers(http, ("Access-Control-Allow-Origin", "http://localhost"), ("Vary", "Origin"));
        CorsAssert.Headers(port, ("Access-Control-Allow-Origin", "http://127.0.0.1:5081"), ("Vary", "Origin"));
        CorsAssert.Headers(explicitDefault, ("Vary", "Origin"));   // no browser sends the default port
        CorsAssert.Headers(upper, ("Vary", "Origin"));             // nor upper case
    }

    [Fact]
    public async Task Predicate_ThatThrows_FailsClosedAndLogsError()
    {
        await using var app = await StartAsync(p => p.WithOriginPredicate(_ => throw new InvalidOperationException("directory down")));

        var response = await app.GetAsync("/data", "https://app.example.com");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("payload", await response.Content.ReadAsStringAsync());
        CorsAssert.Headers(response, ("Vary", "Origin"));
        var error = Assert.Single(app.Logs.ForEvent(4));
        Assert.Equal("directory down", error.Exception!.Message);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Error, error.Level);
    }
}

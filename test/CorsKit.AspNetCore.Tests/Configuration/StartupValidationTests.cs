using CorsKit.AspNetCore.Tests.Infrastructure;
using CorsKit.Policies;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CorsKit.AspNetCore.Tests.Configuration;

public sealed class StartupValidationTests
{
    private static Task<TestApp> StartAsync(Action<CorsKitOptions> cors, Action<WebApplication>? map = null, bool useCorsKit = true) =>
        TestApp.StartAsync(cors, map ?? (app => app.MapGet("/", () => "x")), useCorsKit: useCorsKit);

    [Theory]
    [InlineData("https://app.example.com/", "CORS policy 'default': \"https://app.example.com/\" has a path (a trailing slash); an origin is scheme://host[:port], so write \"https://app.example.com\"")]
    [InlineData("https://app.example.com/api", "CORS policy 'default': \"https://app.example.com/api\" has a path; an origin is scheme://host[:port], so write \"https://app.example.com\"")]
    [InlineData("https://app.example.com?x=1", "CORS policy 'default': \"https://app.example.com?x=1\" has a query; an origin is scheme://host[:port], so write \"https://app.example.com\"")]
    [InlineData("app.example.com", "CORS policy 'default': \"app.example.com\" has no scheme; an origin is scheme://host[:port], so write \"https://app.example.com\" (or http://)")]
    public async Task Startup_BadOrigin_FailsNamingEntryAndFix(string origin, string message)
    {
        var error = await Assert.ThrowsAsync<CorsPolicyException>(() => StartAsync(o => o.AddDefaultPolicy(p => p.WithOrigins(origin))));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public async Task Startup_AnyOriginWithCredentials_Fails()
    {
        var error = await Assert.ThrowsAsync<CorsPolicyException>(() => StartAsync(o => o.AddPolicy("api", p => p.AllowAnyOrigin().AllowCredentials())));

        Assert.Equal("CORS policy 'api': '*' (any origin) together with credentials is refused by browsers and would expose credentialed responses to every site; list the trusted origins with WithOrigins(...), or drop AllowCredentials()", error.Message);
    }

    [Fact]
    public async Task Startup_InvalidRegex_Fails()
    {
        var error = await Assert.ThrowsAsync<CorsPolicyException>(() => StartAsync(o => o.AddDefaultPolicy(p => p.WithOriginRegex("https://(app\\.example\\.com"))));

        Assert.StartsWith("CORS policy 'default': origin regex \"https://(app\\.example\\.com\" is invalid (", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("); write a .NET regular expression such as \"https://app-[0-9]+\\.example\\.com\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Startup_EmptyPolicy_Fails()
    {
        var error = await Assert.ThrowsAsync<CorsPolicyException>(() => StartAsync(o => o.AddDefaultPolicy(_ => { })));

        Assert.Equal("CORS policy 'default': it allows no origin; add WithOrigins(\"https://app.example.com\") (or AllowAnyOrigin() for a public API without credentials)", error.Message);
    }

    [Fact]
    public async Task Startup_EndpointNamesUnknownPolicy_Fails()
    {
        var error = await Assert.ThrowsAsync<CorsPolicyException>(() => StartAsync(
            o => o.AddDefaultPolicy(p => p.WithOrigins("https://app.example.com")),
            app => app.MapGet("/x", () => "x").WithCors("spa")));

        Assert.Equal("endpoint 'HTTP: GET /x' uses CORS policy 'spa', which is not registered; add options.AddPolicy(\"spa\", ...) or options.AddPolicyProvider(\"spa\", ...) (registered: default)", error.Message);
    }

    [Fact]
    public async Task Startup_UnknownDefaultPolicy_Fails()
    {
        var error = await Assert.ThrowsAsync<CorsPolicyException>(() => StartAsync(o =>
        {
            o.AddPolicy("spa", p => p.WithOrigins("https://app.example.com"));
            o.DefaultPolicyName = "sap";
        }));

        Assert.Equal("the default policy is 'sap', but no policy of that name is registered; add options.AddPolicy(\"sap\", ...) or set DefaultPolicyName to one of: spa", error.Message);
    }

    [Fact]
    public async Task Startup_UseCorsKitMissing_Fails()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(o => o.AddDefaultPolicy(p => p.WithOrigins("https://app.example.com")), useCorsKit: false));

        Assert.Equal("CorsKit is registered (AddCorsKit) but not switched on: call app.UseCorsKit(). CorsKit always runs outermost, so where the call stands does not matter.", error.Message);
    }

    [Fact]
    public void WithCors_InlinePolicyInvalid_ThrowsWhenMapped()
    {
        var builder = WebApplication.CreateBuilder();
        var app = builder.Build();

        var error = Assert.Throws<CorsPolicyException>(() => app.MapGet("/x", () => "x").WithCors(p => p.WithOrigins("*").AllowCredentials()));

        Assert.StartsWith("CORS policy 'inline': '*' (any origin) together with credentials", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Startup_NullOriginWithCredentials_Fails()
    {
        var error = await Assert.ThrowsAsync<CorsPolicyException>(() => StartAsync(o => o.AddPolicy("sandbox", p => p.WithOrigins("null").AllowCredentials())));

        Assert.Equal(
            "CORS policy 'sandbox': \"null\" (the opaque origin) together with credentials lets every sandboxed iframe and data: page, on any site, send credentialed requests and read the answers, since all of them send Origin: null; "
            + "drop AllowCredentials() (without credentials \"null\" stays allowed, to serve a sandboxed page), "
            + "or give the sandboxed page a real origin (sandbox=\"allow-scripts allow-same-origin\") and list that origin instead",
            error.Message);
    }

    [Fact]
    public async Task Startup_CatchAllRegexWithCredentials_Fails()
    {
        var error = await Assert.ThrowsAsync<CorsPolicyException>(() => StartAsync(o => o.AddPolicy("api", p => p.WithOriginRegex("https?://.*").AllowCredentials())));

        Assert.Equal(
            "CORS policy 'api': origin regex \"https?://.*\" matches any host (it matches \"https://corskit-probe.invalid\"), so with credentials every site could read credentialed responses; write the trusted hosts out, dots escaped, such as \"https://app\\.example\\.com\"",
            error.Message);
    }

    [Fact]
    public async Task Startup_RegexWithUnescapedDots_Fails()
    {
        var error = await Assert.ThrowsAsync<CorsPolicyException>(() => StartAsync(o => o.AddDefaultPolicy(p => p.WithOriginRegex("https://app.example.com"))));

        Assert.Equal(
            "CORS policy 'default': origin regex \"https://app.example.com\" has an unescaped '.' in \"app.example\", which matches any character, so \"appxexample\" matches too; write \"\\.\" for a literal dot: \"https://app\\.example\\.com\"",
            error.Message);
    }

    [Fact]
    public async Task Startup_WildcardOnPublicSuffix_Fails()
    {
        var error = await Assert.ThrowsAsync<CorsPolicyException>(() => StartAsync(o => o.AddDefaultPolicy(p => p.WithOrigins("https://*.github.io").SetIsOriginAllowedToAllowWildcardSubdomains().AllowCredentials())));

        Assert.Equal(
            "CORS policy 'default': \"https://*.github.io\" matches every site under the public suffix \"github.io\", where anyone can register a name; name a domain you control under it, such as \"https://*.example.github.io\"",
            error.Message);
    }

    [Fact]
    public async Task Startup_BacktrackingRegexNotAllowed_Fails()
    {
        var error = await Assert.ThrowsAsync<CorsPolicyException>(() => StartAsync(o => o.AddDefaultPolicy(p => p.WithOriginRegex(@"https://(?!admin\.)[a-z]+\.example\.com"))));

        Assert.Equal(
            "CORS policy 'default': origin regex \"https://(?!admin\\.)[a-z]+\\.example\\.com\" needs .NET's backtracking engine (it has a lookaround, backreference, atomic group or conditional, or is too large for the linear-time engine), "
            + "where each distinct hostile origin can cost up to the match timeout in CPU; rewrite it without those constructs (alternatives with '|', or WithOriginPredicate(...)), "
            + "or call AllowBacktrackingOriginRegex() to accept it with a 50 ms match timeout",
            error.Message);
    }

    [Fact]
    public async Task Startup_RefusedRegexFromConfiguration_Fails()
    {
        var error = await Assert.ThrowsAsync<CorsPolicyException>(() => TestApp.StartAsync(
            cors: null,
            app => app.MapGet("/", () => "x"),
            builder =>
            {
                builder.Configuration.AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes("""
                    { "CorsKit": { "Policies": { "default": { "OriginPatterns": [ ".*" ] } } } }
                    """)));
                builder.Services.AddCorsKit(builder.Configuration.GetSection("CorsKit"));
            }));

        Assert.Equal(
            "CORS policy 'default': origin regex \".*\" matches any host (it matches \"https://corskit-probe.invalid\"): a '*' in disguise that still echoes each origin back; use AllowAnyOrigin() for a public API, or write the trusted hosts out, dots escaped, such as \"https://app\\.example\\.com\"",
            error.Message);
    }

    [Fact]
    public async Task Startup_BacktrackingRegexAllowedInConfiguration_StartsAndMatches()
    {
        await using var app = await TestApp.StartAsync(
            cors: null,
            app => app.MapGet("/", () => "x"),
            builder =>
            {
                builder.Configuration.AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes("""
                    { "CorsKit": { "Policies": { "default": { "OriginPatterns": [ "https://(?!admin\\.)[a-z]+\\.example\\.com" ], "AllowBacktrackingOriginRegex": true } } } }
                    """)));
                builder.Services.AddCorsKit(builder.Configuration.GetSection("CorsKit"));
            });

        var allowed = await app.GetAsync("/", "https://shop.example.com");
        var refused = await app.GetAsync("/", "https://admin.example.com");

        CorsAssert.Headers(allowed, ("Access-Control-Allow-Origin", "https://shop.example.com"), ("Vary", "Origin"));
        CorsAssert.Headers(refused, ("Vary", "Origin"));
        var warning = Assert.Single(app.Logs.ForEvent(12));
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, warning.Level);
        Assert.Equal("default", warning.Values["PolicyName"]);
        Assert.Equal(50.0, warning.Values["TimeoutMs"]);
    }

    [Theory]
    [InlineData("https://evil.github.io")]
    [InlineData("https://notgithub.io")]
    [InlineData("https://a.notgithub.io.evil.com")]
    [InlineData("https://appxexample.com")]
    [InlineData("https://app.example.com.")]
    [InlineData("https://corskit-probe.invalid")]
    public async Task Request_OriginTheAcceptedPolicyDoesNotName_GetsNoCorsHeaders(string origin)
    {
        await using var app = await StartAsync(o => o.AddDefaultPolicy(p => p
            .WithOrigins("https://*.notgithub.io").SetIsOriginAllowedToAllowWildcardSubdomains()
            .WithOriginRegex(@"https://app\.example\.com")
            .AllowCredentials()));

        var simple = await app.GetAsync("/", origin);
        var preflight = await app.PreflightAsync("/", origin, "GET");

        CorsAssert.Headers(simple, ("Vary", "Origin"));
        CorsAssert.Headers(preflight, ("Vary", "Origin"));
    }

    [Fact]
    public async Task Request_NullOriginWithoutCredentials_EchoedWithoutCredentials()
    {
        await using var app = await StartAsync(o => o.AddDefaultPolicy(p => p.WithOrigins("null")));

        var response = await app.GetAsync("/", "null");

        CorsAssert.Headers(response, ("Access-Control-Allow-Origin", "null"), ("Vary", "Origin"));
    }

    [Fact]
    public void UsesBacktrackingRegex_AllowedExplicitly_TrueForTheHostToWarnAbout()
    {
        var policy = new CorsPolicyBuilder("legacy").WithOriginRegex(@"https://(?!admin\.)[a-z]+\.example\.com").AllowBacktrackingOriginRegex().Build();
        var plain = new CorsPolicyBuilder("plain").WithOriginRegex(@"https://[a-z]+\.example\.com").Build();

        Assert.True(policy.UsesBacktrackingRegex);
        Assert.False(plain.UsesBacktrackingRegex);
    }
}

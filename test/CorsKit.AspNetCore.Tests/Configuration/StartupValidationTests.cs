using CorsKit.AspNetCore.Tests.Infrastructure;
using CorsKit.Policies;
using Microsoft.AspNetCore.Builder;

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
}

using CorsKit.AspNetCore.Tests.Infrastructure;
using CorsKit.Policies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using MicrosoftCorsPolicy = Microsoft.AspNetCore.Cors.Infrastructure.CorsPolicy;
using MicrosoftPolicyBuilder = Microsoft.AspNetCore.Cors.Infrastructure.CorsPolicyBuilder;

namespace CorsKit.AspNetCore.Tests.Migration;

/// <summary>
/// Policies Microsoft.AspNetCore.Cors accepts (or accepts and silently never matches) that CorsKit refuses when the app
/// starts, each with the fix. docs/migrating-from-microsoft-cors.md lists the same cases.
/// </summary>
public sealed class StartupRefusalTests
{
    private const string App = "https://app.example.com";

    private static readonly Dictionary<string, Action<CorsKitOptions>> Cases = new()
    {
        ["trailing slash"] = o => o.AddPolicy("spa", p => p.WithOrigins(App + "/")),
        ["trailing dot"] = o => o.AddPolicy("spa", p => p.WithOrigins(App + ".")),
        ["any origin with credentials"] = o => o.AddPolicy("spa", p => p.AllowAnyOrigin().AllowCredentials()),
        ["'*' entry with credentials"] = o => o.AddPolicy("spa", p => p.WithOrigins("*").AllowCredentials()),
        ["'*' beside other entries"] = o => o.AddPolicy("spa", p => p.WithOrigins("*", App)),
        ["function allowing every origin with credentials"] = o => o.AddPolicy("spa", p => p.SetIsOriginAllowed(_ => true).AllowCredentials()),
        ["function beside a list"] = o => o.AddPolicy("spa", p => p.WithOrigins(App).SetIsOriginAllowed(origin => origin.EndsWith(".example.com", StringComparison.Ordinal))),
        ["wildcard without SetIsOriginAllowedToAllowWildcardSubdomains"] = o => o.AddPolicy("spa", p => p.WithOrigins("https://*.example.com")),
        ["wildcard on a public suffix"] = o => o.AddPolicy("spa", p => p.WithOrigins("https://*.azurewebsites.net").SetIsOriginAllowedToAllowWildcardSubdomains()),
        ["null with credentials"] = o => o.AddPolicy("spa", p => p.WithOrigins("null").AllowCredentials()),
        ["any method beside listed methods"] = o => o.AddPolicy("spa", p => p.WithOrigins(App).AllowAnyMethod().WithMethods("GET")),
        ["several methods in one entry"] = o => o.AddPolicy("spa", p => p.WithOrigins(App).WithMethods("GET, POST")),
        ["max-age in fractions of a second"] = o => o.AddPolicy("spa", p => p.WithOrigins(App).SetPreflightMaxAge(TimeSpan.FromMilliseconds(2500))),
        ["exposed '*' with credentials"] = o => o.AddPolicy("spa", p => p.WithOrigins(App).WithExposedHeaders("*").AllowCredentials()),
        ["Microsoft policy object with a trailing slash"] = o => o.AddPolicy("spa", new MicrosoftPolicyBuilder().WithOrigins(App + "/").Build()),
        ["default policy name without a policy"] = o => o.DefaultPolicyName = "spa",
    };

    [Theory]
    [InlineData("trailing slash", "CORS policy 'spa': \"https://app.example.com/\" has a path (a trailing slash); an origin is scheme://host[:port], so write \"https://app.example.com\"")]
    [InlineData("trailing dot", "CORS policy 'spa': \"https://app.example.com.\" ends its host with a dot, which browsers keep: it matches only that spelling of the host, never the origin a site normally sends; write \"https://app.example.com\"")]
    [InlineData("any origin with credentials", "CORS policy 'spa': " + StarWithCredentials)]
    [InlineData("'*' entry with credentials", "CORS policy 'spa': " + StarWithCredentials)]
    [InlineData("'*' beside other entries", "CORS policy 'spa': '*' (any origin) makes the other origin entries meaningless; keep either '*' or the list")]
    [InlineData("function allowing every origin with credentials", "CORS policy 'spa': its origin test allows \"https://corskit-probe.invalid\", an origin nobody lists, so with credentials every site could read credentialed responses; make the function allow only trusted origins (or list them with WithOrigins(...)), or drop AllowCredentials()")]
    [InlineData("function beside a list", "CORS policy 'spa': SetIsOriginAllowed(...) is the whole origin test in Microsoft's CORS, which then ignores the WithOrigins(...) entries, while CorsKit would allow them as well; let the function allow those origins and drop WithOrigins(...), or call WithOriginPredicate(...) instead to allow both")]
    [InlineData("wildcard without SetIsOriginAllowedToAllowWildcardSubdomains", "CORS policy 'spa': \"https://*.example.com\" is a wildcard entry, which matches subdomains only after SetIsOriginAllowedToAllowWildcardSubdomains() (without that call Microsoft's CORS treats it as one origin that never matches); add the call, or list the origins")]
    [InlineData("wildcard on a public suffix", "CORS policy 'spa': \"https://*.azurewebsites.net\" matches every site under the public suffix \"azurewebsites.net\", where anyone can register a name; name a domain you control under it, such as \"https://*.example.azurewebsites.net\"")]
    [InlineData("null with credentials", "CORS policy 'spa': \"null\" (the opaque origin) together with credentials lets every sandboxed iframe and data: page, on any site, send credentialed requests and read the answers, since all of them send Origin: null; drop AllowCredentials() (without credentials \"null\" stays allowed, to serve a sandboxed page), or give the sandboxed page a real origin (sandbox=\"allow-scripts allow-same-origin\") and list that origin instead")]
    [InlineData("any method beside listed methods", "CORS policy 'spa': any method (AllowAnyMethod() or '*') beside listed methods (GET) is ambiguous: Microsoft's CORS allows only the listed ones or any, depending on the order of the calls; keep either AllowAnyMethod() or the list")]
    [InlineData("several methods in one entry", "CORS policy 'spa': method \"GET, POST\" is not a valid HTTP token (letters, digits and !#$%&'*+-.^_`|~ only; one name per entry, no commas or spaces)")]
    [InlineData("max-age in fractions of a second", "CORS policy 'spa': max-age 00:00:02.5000000 must be zero or more whole seconds")]
    [InlineData("exposed '*' with credentials", "CORS policy 'spa': exposed header '*' with credentials exposes only a header literally named '*'; list the header names instead")]
    [InlineData("Microsoft policy object with a trailing slash", "CORS policy 'spa': \"https://app.example.com/\" has a path (a trailing slash); an origin is scheme://host[:port], so write \"https://app.example.com\"")]
    [InlineData("default policy name without a policy", "the default policy is 'spa', but no policy of that name is registered; add options.AddPolicy(\"spa\", ...) or set DefaultPolicyName to one of: ")]
    public async Task Startup_WhatMicrosoftAcceptsButCorsKitRefuses_FailsWithTheFix(string name, string message)
    {
        var error = await Assert.ThrowsAsync<CorsPolicyException>(() => TestApp.StartAsync(Cases[name], app => app.MapGet("/", () => "x")));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Cases_EachHasItsTest()
    {
        var tested = typeof(StartupRefusalTests).GetMethod(nameof(Startup_WhatMicrosoftAcceptsButCorsKitRefuses_FailsWithTheFix))!
            .GetCustomAttributesData().Where(a => a.AttributeType == typeof(InlineDataAttribute))
            .Select(a => (string)((IReadOnlyCollection<System.Reflection.CustomAttributeTypedArgument>)a.ConstructorArguments[0].Value!).First().Value!);

        Assert.Equal(Cases.Keys.Order(), tested.Order());
    }

    [Fact]
    public async Task Startup_MicrosoftPolicyProviderStillRegistered_FailsBecauseCorsKitNeverCallsIt()
    {
        var error = await Assert.ThrowsAsync<CorsPolicyException>(() => TestApp.StartAsync(
            o => o.AddDefaultPolicy(p => p.WithOrigins(App)),
            app => app.MapGet("/", () => "x"),
            builder => builder.Services.AddSingleton<ICorsPolicyProvider, TenantCorsPolicyProvider>()));

        Assert.Equal(
            "ICorsPolicyProvider CorsKit.AspNetCore.Tests.Migration.StartupRefusalTests+TenantCorsPolicyProvider is registered, but CorsKit never calls Microsoft's ICorsPolicyProvider; "
            + "implement CorsKit.AspNetCore.ICorsKitPolicyProvider and register it with options.AddPolicyProvider<T>(\"name\"), and remove the registration",
            error.Message);
    }

    [Fact]
    public async Task Startup_ControllersRegisterMicrosoftsOwnProvider_Starts()
    {
        await using var app = await TestApp.StartAsync(
            o => o.AddDefaultPolicy(p => p.WithOrigins(App)),
            a => a.MapGet("/", () => "x"),
            builder => builder.Services.AddControllersOnly());

        var response = await app.GetAsync("/", App);

        await ResponseAssert.BodyAsync(response, 200, "x");
        CorsAssert.Headers(response, ("Access-Control-Allow-Origin", App), ("Vary", "Origin"));
    }

    private sealed class TenantCorsPolicyProvider : ICorsPolicyProvider
    {
        public Task<MicrosoftCorsPolicy?> GetPolicyAsync(HttpContext context, string? policyName) => Task.FromResult<MicrosoftCorsPolicy?>(null);
    }

    private const string StarWithCredentials =
        "'*' (any origin) together with credentials is refused by browsers and would expose credentialed responses to every site; list the trusted origins with WithOrigins(...), or drop AllowCredentials()";
}

using CorsKit.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using MicrosoftPolicyBuilder = Microsoft.AspNetCore.Cors.Infrastructure.CorsPolicyBuilder;

namespace CorsKit.AspNetCore.Tests.Migration;

/// <summary>CorsOptions shapes of Microsoft's that CorsKitOptions keeps: DefaultPolicyName before AddDefaultPolicy, built Microsoft policies.</summary>
public sealed class MicrosoftOptionsShapeTests
{
    private const string Spa = "https://spa.example.com";
    private const string Other = "https://other.example.com";

    [Fact]
    public async Task AddDefaultPolicy_AfterDefaultPolicyName_RegisteredUnderThatName()
    {
        await using var app = await TestApp.StartAsync(
            o =>
            {
                o.DefaultPolicyName = "spa";
                o.AddDefaultPolicy(p => p.WithOrigins(Spa));
            },
            a =>
            {
                a.MapGet("/", () => "home");
                a.MapGet("/named", () => "named").WithCors("spa");
            });

        var home = await app.GetAsync("/", Spa);
        var named = await app.GetAsync("/named", Spa);

        await ResponseAssert.BodyAsync(home, 200, "home");
        CorsAssert.Headers(home, ("Access-Control-Allow-Origin", Spa), ("Vary", "Origin"));
        CorsAssert.Headers(named, ("Access-Control-Allow-Origin", Spa), ("Vary", "Origin"));
    }

    [Fact]
    public async Task AddPolicy_BuiltMicrosoftPolicy_KeepsItsMeaning()
    {
        var partners = new MicrosoftPolicyBuilder()
            .WithOrigins("https://*.partners.example.com")
            .SetIsOriginAllowedToAllowWildcardSubdomains()
            .WithMethods("PUT")
            .SetPreflightMaxAge(TimeSpan.FromMinutes(5))
            .AllowCredentials()
            .Build();
        await using var app = await TestApp.StartAsync(
            o =>
            {
                o.AddDefaultPolicy(new MicrosoftPolicyBuilder().WithOrigins(Spa).Build());
                o.AddPolicy("partners", partners);
            },
            a =>
            {
                a.MapGet("/", () => "home");
                a.MapPut("/orders", () => "stored").RequireCors("partners");
            });

        var preflight = await app.PreflightAsync("/orders", "https://shop.partners.example.com", "PUT");
        var apex = await app.PreflightAsync("/orders", "https://partners.example.com", "PUT");
        var home = await app.GetAsync("/", Spa);
        var refused = await app.GetAsync("/", Other);

        CorsAssert.Headers(
            preflight,
            ("Access-Control-Allow-Origin", "https://shop.partners.example.com"),
            ("Access-Control-Allow-Credentials", "true"),
            ("Access-Control-Allow-Methods", "PUT"),
            ("Access-Control-Max-Age", "300"),
            ("Vary", "Origin"));
        CorsAssert.Headers(apex, ("Vary", "Origin"));
        CorsAssert.Headers(home, ("Access-Control-Allow-Origin", Spa), ("Vary", "Origin"));
        CorsAssert.Headers(refused, ("Vary", "Origin"));
    }
}

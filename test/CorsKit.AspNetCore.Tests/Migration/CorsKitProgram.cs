using CorsKit.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CorsKit.AspNetCore.Tests.Migration;

/// <summary>
/// The typical Program of <see cref="MicrosoftCorsProgram"/> moved to CorsKit: the same file with only
/// <c>AddCors(</c> and <c>UseCors(</c> changed (a test checks that); <see cref="MigrationComparisonTests"/> compares them.
/// </summary>
internal static class CorsKitProgram
{
    public static WebApplication Build()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddControllersOnly(typeof(OrdersController));

        builder.Services.AddCorsKit(options =>
        {
            options.AddDefaultPolicy(policy => policy
                .WithOrigins("https://app.example.com", "https://admin.example.com")
                .WithMethods("GET", "POST", "DELETE")
                .AllowAnyHeader()
                .AllowCredentials());

            options.AddPolicy("partners", policy => policy
                .WithOrigins("https://*.partners.example.com")
                .SetIsOriginAllowedToAllowWildcardSubdomains()
                .WithMethods("GET", "PUT")
                .WithHeaders("X-Api-Key", "Content-Type")
                .WithExposedHeaders("X-Total-Count")
                .SetPreflightMaxAge(TimeSpan.FromMinutes(10))
                .AllowCredentials());

            options.AddPolicy("public", policy => policy.AllowAnyOrigin().AllowAnyMethod().AllowAnyHeader());
        });

        var app = builder.Build();
        app.UseRouting();
        app.UseCorsKit();

        app.MapGet("/items", () => new[] { "apple", "pear" });
        app.MapPost("/items", () => Results.Created("/items/3", "stored"));
        app.MapPut("/partners/orders", () => "stored").RequireCors("partners");
        app.MapGet("/status", () => "up").RequireCors("public");
        app.MapGet("/tools", () => "tools").RequireCors(policy => policy.WithOrigins("https://tools.example.com").WithMethods("GET"));
        app.MapGet("/boom", string () => throw new InvalidOperationException("boom"));
        app.MapControllers();
        return app;
    }
}

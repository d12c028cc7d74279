using CorsKit.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace CorsKit.Benchmarks.Infrastructure;

/// <summary>
/// The app of a scenario: a default policy, optionally a named <c>partner</c> policy on <c>GET /partner</c> (endpoint
/// metadata: Microsoft's <c>RequireCors</c>, CorsKit's <c>WithCors</c>), and the same endpoints for all three pipelines:
/// <c>GET|PUT|DELETE /items</c> answering 200 with no body, so the endpoint itself costs next to nothing.
/// </summary>
public sealed class CorsSetup
{
    public const string PartnerPolicyName = "partner";

    private static readonly RequestDelegate Ok = static _ => Task.CompletedTask;

    public CorsSetup(PolicyShape defaultPolicy, PolicyShape? partnerPolicy = null)
    {
        DefaultPolicy = defaultPolicy;
        PartnerPolicy = partnerPolicy;
    }

    public PolicyShape DefaultPolicy { get; }

    public PolicyShape? PartnerPolicy { get; }

    public void ConfigureMicrosoft(CorsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.AddDefaultPolicy(DefaultPolicy.ApplyTo);
        if (PartnerPolicy is { } partner)
        {
            options.AddPolicy(PartnerPolicyName, partner.ApplyTo);
        }
    }

    public void ConfigureCorsKit(CorsKitOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.AddDefaultPolicy(DefaultPolicy.ApplyTo);
        if (PartnerPolicy is { } partner)
        {
            options.AddPolicy(PartnerPolicyName, partner.ApplyTo);
        }
    }

    public void MapEndpoints(WebApplication app, Implementation implementation)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/items", Ok);
        app.MapPut("/items", Ok);
        app.MapDelete("/items", Ok);
        if (PartnerPolicy is not null)
        {
            var partner = app.MapGet("/partner", Ok);
            _ = implementation switch
            {
                Implementation.Microsoft => partner.RequireCors(PartnerPolicyName),
                Implementation.CorsKit => partner.WithCors(PartnerPolicyName),
                _ => partner,
            };
        }
    }
}

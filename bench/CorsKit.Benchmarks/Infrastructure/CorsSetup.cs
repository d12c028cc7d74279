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

    public CorsSetup(PolicyShape defaultPolicy, PolicyShape? partnerPolicy = null, bool afterRequestHeader = false)
    {
        DefaultPolicy = defaultPolicy;
        PartnerPolicy = partnerPolicy;
        AfterRequestHeader = afterRequestHeader;
    }

    /// <summary>
    /// Every response gets <c>X-Served-By</c> after the endpoint: through CorsKit's <c>app.AfterRequest</c> hook, and for
    /// the other two through the hand-written middleware an ASP.NET Core app uses for that (a <c>Response.OnStarting</c>).
    /// </summary>
    public bool AfterRequestHeader { get; }

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
        if (AfterRequestHeader)
        {
            if (implementation == Implementation.CorsKit)
            {
                app.AfterRequest(static context => context.Response.Headers["X-Served-By"] = "bench");
            }
            else
            {
                app.Use(static (context, next) =>
                {
                    context.Response.OnStarting(
                        static state =>
                        {
                            ((HttpContext)state).Response.Headers["X-Served-By"] = "bench";
                            return Task.CompletedTask;
                        },
                        context);
                    return next(context);
                });
            }
        }

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

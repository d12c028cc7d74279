using CorsKit.AspNetCore.Hooks;
using CorsKit.Policies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CorsKit.AspNetCore;

/// <summary>
/// Installs <see cref="CorsKitMiddleware"/> outside everything the app configures, then, once the app's pipeline is
/// built, checks that <c>UseCorsKit()</c> was called, applies the default policy it chose, validates every policy and every policy name used by an endpoint
/// (so a bad configuration stops the app at startup). Preflights need nothing here: the app's own routing sends them to
/// CorsKit (see <see cref="Preflights.PreflightMatcherPolicy"/>).
/// </summary>
internal sealed class CorsKitStartupFilter : IStartupFilter
{
    internal const string UseCorsKitKey = "CorsKit.UseCorsKit";
    internal const string DefaultPolicyKey = "CorsKit.DefaultPolicy";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        var services = app.ApplicationServices;
        services.GetRequiredService<MicrosoftCorsServices>().RefuseIgnoredExtensions();
        var registry = services.GetRequiredService<CorsPolicyRegistry>(); // builds and validates every policy now
        var runtime = services.GetRequiredService<CorsKitRuntime>();
        app.Use(inner => ActivatorUtilities.CreateInstance<CorsKitMiddleware>(services, inner).InvokeAsync);

        next(app);

        if (!app.Properties.ContainsKey(UseCorsKitKey))
        {
            throw new InvalidOperationException("CorsKit is registered (AddCorsKit) but not switched on: call app.UseCorsKit(). CorsKit always runs outermost, so where the call stands does not matter.");
        }

        registry.ApplySelections(app.Properties.TryGetValue(DefaultPolicyKey, out var chosen) ? (DefaultPolicySelection?)chosen : null);
        runtime.Enabled = true;
        services.GetRequiredService<AfterRequestHooks>().Freeze();
        runtime.MarkCorsHandled = ValidateEndpoints(services, registry);

        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger<CorsKitMiddleware>();
        foreach (var (name, policy) in registry.Policies)
        {
            if (policy.UsesBacktrackingRegex)
            {
                Log.BacktrackingRegexAccepted(logger, name, CorsPolicyBuilder.BacktrackingRegexMatchTimeout.TotalMilliseconds);
            }
        }
    };

    // Returns whether any endpoint carries Microsoft's CORS metadata.
    private static bool ValidateEndpoints(IServiceProvider services, CorsPolicyRegistry registry)
    {
        if (services.GetService<EndpointDataSource>() is not { } endpoints)
        {
            return false;
        }

        var microsoftMetadata = false;
        foreach (var endpoint in endpoints.Endpoints)
        {
            if (CorsPolicyRegistry.ReferencedName(endpoint) is { } name && !registry.IsRegistered(name))
            {
                throw new CorsPolicyException($"endpoint '{endpoint.DisplayName}' uses CORS policy '{name}', which is not registered; add options.AddPolicy(\"{name}\", ...) or options.AddPolicyProvider(\"{name}\", ...) (registered: {string.Join(", ", registry.Names)})");
            }

            if (endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Cors.Infrastructure.ICorsPolicyMetadata>() is { } inline)
            {
                _ = registry.Converted(inline.Policy); // refused at startup, not on the first request
            }

            microsoftMetadata |= endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Cors.Infrastructure.ICorsMetadata>() is not null;
        }

        return microsoftMetadata;
    }
}

using CorsKit.AspNetCore.Hooks;
using CorsKit.Policies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CorsKit.AspNetCore;

/// <summary>
/// Installs <see cref="CorsKitMiddleware"/> outside everything the app configures, then, once the app's pipeline is
/// built, checks that <c>UseCorsKit()</c> was called, validates every policy and every policy name used by an endpoint
/// (so a bad configuration stops the app at startup), and builds the routing branch that preflights use.
/// </summary>
internal sealed class CorsKitStartupFilter : IStartupFilter
{
    internal const string UseCorsKitKey = "CorsKit.UseCorsKit";

    // Set by UseRouting (and by WebApplication's implicit routing); the branch reuses that route builder's endpoints.
    private const string EndpointRouteBuilderKey = "__EndpointRouteBuilder";
    private const string GlobalEndpointRouteBuilderKey = "__GlobalEndpointRouteBuilder";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        var services = app.ApplicationServices;
        var registry = services.GetRequiredService<CorsPolicyRegistry>(); // builds and validates every policy now
        var runtime = services.GetRequiredService<CorsKitRuntime>();
        CorsKitMiddleware? middleware = null;
        RequestDelegate? preflightRouter = null;

        // Middleware factories run when the host builds the pipeline, after this method: by then the router exists.
        app.Use(inner =>
        {
            middleware = ActivatorUtilities.CreateInstance<CorsKitMiddleware>(services, inner);
            middleware.UsePreflightRouter(preflightRouter!);
            return middleware.InvokeAsync;
        });

        next(app);

        if (!app.Properties.ContainsKey(UseCorsKitKey))
        {
            throw new InvalidOperationException("CorsKit is registered (AddCorsKit) but not switched on: call app.UseCorsKit(). CorsKit always runs outermost, so where the call stands does not matter.");
        }

        runtime.Enabled = true;
        services.GetRequiredService<AfterRequestHooks>().Freeze();
        runtime.MarkCorsHandled = ValidateEndpoints(services, registry);

        if (app.Properties.TryGetValue(EndpointRouteBuilderKey, out var routeBuilder) && routeBuilder is IEndpointRouteBuilder)
        {
            var branch = app.New();
            branch.Properties[GlobalEndpointRouteBuilderKey] = routeBuilder;
            branch.Properties.Remove(EndpointRouteBuilderKey);
            branch.UseRouting();
            branch.Run(context => middleware!.AnswerPreflightAsync(context));
            preflightRouter = branch.Build();
        }
        else
        {
            // No endpoint routing: every preflight is answered from the default policy.
            preflightRouter = context => middleware!.AnswerPreflightAsync(context);
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

            microsoftMetadata |= endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Cors.Infrastructure.ICorsMetadata>() is not null;
        }

        return microsoftMetadata;
    }
}

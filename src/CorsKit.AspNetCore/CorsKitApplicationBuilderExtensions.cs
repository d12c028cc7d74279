using CorsKit.AspNetCore;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Switches CorsKit on for an application.</summary>
public static class CorsKitApplicationBuilderExtensions
{
    /// <summary>
    /// Switches CorsKit on. CorsKit always runs outermost (installed by <c>AddCorsKit</c>), so this call may stand anywhere
    /// in the pipeline: before or after routing, authentication or exception handlers makes no difference.
    /// </summary>
    /// <param name="app">The application.</param>
    public static IApplicationBuilder UseCorsKit(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.ApplicationServices.GetService(typeof(CorsPolicyRegistry)) is null)
        {
            throw new InvalidOperationException("UseCorsKit() needs CorsKit's services: call builder.Services.AddCorsKit(...) first.");
        }

        app.Properties[CorsKitStartupFilter.UseCorsKitKey] = true;
        return app;
    }
}

using CorsKit.AspNetCore;
using CorsKit.AspNetCore.Providers;
using CorsKit.Policies;

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
        _ = Registry(app);
        app.Properties[CorsKitStartupFilter.UseCorsKitKey] = true;
        return app;
    }

    /// <summary>
    /// Switches CorsKit on and makes the registered policy <paramref name="policyName"/> the default: it applies wherever
    /// an endpoint names no policy of its own, as Microsoft's <c>UseCors("name")</c> does, and replaces
    /// <see cref="CorsKitOptions.DefaultPolicyName"/>. CorsKit has one default for the whole application: call this once,
    /// on the application itself; a call inside <c>Map</c>, <c>MapWhen</c> or <c>UseWhen</c>, or a second call naming
    /// another policy, stops the app at startup (for some paths only, use <c>WithCors("name")</c> on their endpoints).
    /// </summary>
    /// <param name="app">The application.</param>
    /// <param name="policyName">A registered policy (or provider); an unknown name throws <see cref="CorsPolicyException"/> here.</param>
    public static IApplicationBuilder UseCorsKit(this IApplicationBuilder app, string policyName)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentException.ThrowIfNullOrEmpty(policyName);
        var registry = Registry(app);
        if (!registry.IsRegistered(policyName))
        {
            throw new CorsPolicyException($"UseCorsKit(\"{policyName}\") names a policy that is not registered; add options.AddPolicy(\"{policyName}\", ...) to AddCorsKit, or name one of: {string.Join(", ", registry.Names)}");
        }

        return Select(app, registry, new DefaultPolicySelection($"UseCorsKit(\"{policyName}\")", policyName, registry.Named(policyName)));
    }

    /// <summary>
    /// Switches CorsKit on with an inline default policy, built (and validated) now: the twin of Microsoft's
    /// <c>UseCors(policy => ...)</c>. The same rules as <see cref="UseCorsKit(IApplicationBuilder, string)"/> apply.
    /// </summary>
    /// <param name="app">The application.</param>
    /// <param name="configure">Configures the policy.</param>
    public static IApplicationBuilder UseCorsKit(this IApplicationBuilder app, Action<CorsPolicyBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(configure);
        var registry = Registry(app);
        const string Call = "UseCorsKit(policy => ...)";
        var builder = new CorsPolicyBuilder(Call);
        configure(builder);
        return Select(app, registry, new DefaultPolicySelection(Call, null, new ResolvedPolicy(builder.Build())));
    }

    // The application's properties say which call the application itself made (a branch gets a copy of them, so what a
    // branch writes stays in the branch); the registry hears every call. The startup filter compares the two.
    private static IApplicationBuilder Select(IApplicationBuilder app, CorsPolicyRegistry registry, DefaultPolicySelection selection)
    {
        registry.Selections.Add(selection);
        app.Properties[CorsKitStartupFilter.DefaultPolicyKey] = selection;
        app.Properties[CorsKitStartupFilter.UseCorsKitKey] = true;
        return app;
    }

    private static CorsPolicyRegistry Registry(IApplicationBuilder app) =>
        app.ApplicationServices.GetService(typeof(CorsPolicyRegistry)) as CorsPolicyRegistry
        ?? throw new InvalidOperationException("UseCorsKit() needs CorsKit's services: call builder.Services.AddCorsKit(...) first.");
}

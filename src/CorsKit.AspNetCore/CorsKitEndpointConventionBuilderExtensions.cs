using CorsKit.AspNetCore.Metadata;
using CorsKit.Policies;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Per-endpoint and per-route-group CORS policy.</summary>
public static class CorsKitEndpointConventionBuilderExtensions
{
    /// <summary>Applies the registered policy <paramref name="policyName"/> to the endpoint(s) or group.</summary>
    /// <param name="builder">The endpoint, group or controller convention builder.</param>
    /// <param name="policyName">The policy's name; an unknown name stops the app at startup.</param>
    public static TBuilder WithCors<TBuilder>(this TBuilder builder, string policyName)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        var metadata = new CorsPolicyMetadata(policyName);
        return builder.WithMetadata(metadata);
    }

    /// <summary>Applies an inline policy, built (and validated) now.</summary>
    /// <param name="builder">The endpoint, group or controller convention builder.</param>
    /// <param name="configure">Configures the policy.</param>
    public static TBuilder WithCors<TBuilder>(this TBuilder builder, Action<CorsPolicyBuilder> configure)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var policyBuilder = new CorsPolicyBuilder("inline");
        configure(policyBuilder);
        var metadata = new CorsPolicyMetadata(policyBuilder.Build());
        return builder.WithMetadata(metadata);
    }

    /// <summary>Turns CORS off for the endpoint(s) or group: no CORS headers, and preflights go to the endpoint.</summary>
    /// <param name="builder">The endpoint, group or controller convention builder.</param>
    public static TBuilder WithoutCors<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.WithMetadata(NoCorsMetadata.Instance);
    }
}

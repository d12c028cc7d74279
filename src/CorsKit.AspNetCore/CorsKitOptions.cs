using CorsKit.Policies;

namespace CorsKit.AspNetCore;

/// <summary>CorsKit's settings: named policies, the default policy and debug mode.</summary>
public sealed class CorsKitOptions
{
    /// <summary>The name the default policy is registered under.</summary>
    public const string DefaultPolicyKey = "default";

    internal Dictionary<string, Action<CorsPolicyBuilder>> PolicyConfigurations { get; } = new(StringComparer.Ordinal);

    /// <summary>The name of the policy used where an endpoint names none. Default: <c>default</c> when a default policy was added, else none.</summary>
    public string? DefaultPolicyName { get; set; }

    /// <summary>
    /// Debug mode: a rejected CORS request carries a diagnostic header naming the reason, and an unhandled exception becomes a
    /// 500 whose body shows the exception (with the CORS headers still on it). Default <see langword="null"/>: on in the
    /// Development environment, off elsewhere. Never turn it on in production: it reveals internals.
    /// </summary>
    public bool? DebugMode { get; set; }

    /// <summary>The response header that carries the rejection reason in debug mode. Default <c>X-CorsKit-Reason</c>.</summary>
    public string DiagnosticHeaderName { get; set; } = "X-CorsKit-Reason";

    /// <summary>Adds (or replaces) a named policy.</summary>
    /// <param name="name">The policy's name.</param>
    /// <param name="configure">Configures the policy.</param>
    public CorsKitOptions AddPolicy(string name, Action<CorsPolicyBuilder> configure)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(configure);
        PolicyConfigurations[name] = configure;
        return this;
    }

    /// <summary>Adds the default policy, used by every endpoint that names no other.</summary>
    /// <param name="configure">Configures the policy.</param>
    public CorsKitOptions AddDefaultPolicy(Action<CorsPolicyBuilder> configure)
    {
        AddPolicy(DefaultPolicyKey, configure);
        DefaultPolicyName ??= DefaultPolicyKey;
        return this;
    }
}

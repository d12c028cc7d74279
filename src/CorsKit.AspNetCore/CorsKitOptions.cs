using CorsKit.Policies;
using CorsKit.AspNetCore.Providers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CorsKit.AspNetCore;

/// <summary>CorsKit's settings: named policies and policy providers, the default policy and debug mode.</summary>
public sealed class CorsKitOptions
{
    /// <summary>The name the default policy is registered under.</summary>
    public const string DefaultPolicyKey = "default";

    // What each name stands for, made at startup from the app's services: a built policy, or a provider.
    internal Dictionary<string, Func<IServiceProvider, ResolvedPolicy>> Registrations { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// How long CorsKit waits for an <see cref="ICorsKitPolicyProvider"/> that has not answered at once, before it fails
    /// closed (no CORS headers, error logged). Default 1 second.
    /// </summary>
    public TimeSpan PolicyProviderTimeout { get; set; } = TimeSpan.FromSeconds(1);

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
        Registrations[name] = _ =>
        {
            var builder = new CorsPolicyBuilder(name);
            configure(builder);
            return new ResolvedPolicy(builder.Build());
        };
        return this;
    }

    /// <summary>
    /// Adds (or replaces) a named policy chosen per request by <typeparamref name="TProvider"/>: the instance registered
    /// in the services if there is one, else one created from them at startup. The name is used like any policy's.
    /// </summary>
    /// <typeparam name="TProvider">The provider.</typeparam>
    /// <param name="name">The name endpoints (or <see cref="DefaultPolicyName"/>) use.</param>
    public CorsKitOptions AddPolicyProvider<TProvider>(string name)
        where TProvider : class, ICorsKitPolicyProvider
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return SetProvider(name, static services => ActivatorUtilities.GetServiceOrCreateInstance<TProvider>(services));
    }

    /// <summary>Adds (or replaces) a named policy chosen per request by a function (see <see cref="ICorsKitPolicyProvider"/>).</summary>
    /// <param name="name">The name endpoints (or <see cref="DefaultPolicyName"/>) use.</param>
    /// <param name="provider">Returns the request's policy, or <see langword="null"/> for no CORS.</param>
    public CorsKitOptions AddPolicyProvider(string name, Func<HttpContext, CancellationToken, ValueTask<CorsPolicy?>> provider)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(provider);
        return SetProvider(name, _ => new FunctionPolicyProvider(provider));
    }

    // The timeout is read at startup, so it may be set after the provider is added.
    private CorsKitOptions SetProvider(string name, Func<IServiceProvider, ICorsKitPolicyProvider> create)
    {
        Registrations[name] = services => new ResolvedPolicy(new PolicyProvider(name, create(services), PolicyProviderTimeout));
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

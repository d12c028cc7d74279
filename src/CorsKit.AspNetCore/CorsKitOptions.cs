using CorsKit.Isolation;
using CorsKit.Policies;
using CorsKit.AspNetCore.Providers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MicrosoftCorsPolicy = Microsoft.AspNetCore.Cors.Infrastructure.CorsPolicy;

namespace CorsKit.AspNetCore;

/// <summary>CorsKit's settings: named policies and policy providers, the default policy and debug mode.</summary>
public sealed class CorsKitOptions
{
    /// <summary>The name the default policy is registered under.</summary>
    public const string DefaultPolicyKey = "default";

    // What each name stands for, made at startup from the app's services: a built policy, or a provider.
    internal Dictionary<string, Func<IServiceProvider, ResolvedPolicy>> Registrations { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// How long CorsKit waits for an <see cref="ICorsKitPolicyProvider"/>, from when its call is admitted, before it fails
    /// closed (no CORS headers, error logged): the budget of every provider added without a timeout of its own. Default
    /// 1 second; more than zero and at most 1 minute.
    /// </summary>
    public TimeSpan PolicyProviderTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How many calls of user code (origin predicates, policy providers) may be in flight at once, counting calls past
    /// their budget that have not returned yet (synchronous code cannot be stopped). Each runs on a thread of CorsKit's
    /// own, never a thread-pool thread; a call beyond the bound is not made, and the request is answered fail-closed at
    /// once (error logged with a <see cref="BulkheadFullException"/>). Default
    /// <see cref="UserCodeBulkhead.DefaultMaxCallsInFlight"/> (64); 1 to 4,096.
    /// </summary>
    public int MaxUserCodeCallsInFlight { get; set; } = UserCodeBulkhead.DefaultMaxCallsInFlight;

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
    /// Adds (or replaces) a named policy from a Microsoft.AspNetCore.Cors <see cref="MicrosoftCorsPolicy"/> (built with
    /// Microsoft's own <c>CorsPolicyBuilder</c>), for code moving from Microsoft's <c>CorsOptions.AddPolicy(name, policy)</c>.
    /// Its origin test is kept as it is; CorsKit's startup checks apply to it as to any policy.
    /// </summary>
    /// <param name="name">The policy's name.</param>
    /// <param name="policy">The policy.</param>
    public CorsKitOptions AddPolicy(string name, MicrosoftCorsPolicy policy)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(policy);
        Registrations[name] = _ => new ResolvedPolicy(CorsPolicyRegistry.Convert(policy, name));
        return this;
    }

    /// <summary>
    /// Adds (or replaces) a named policy chosen per request by <typeparamref name="TProvider"/>: the instance registered
    /// in the services if there is one, else one created from them at startup. The name is used like any policy's.
    /// </summary>
    /// <typeparam name="TProvider">The provider.</typeparam>
    /// <param name="name">The name endpoints (or <see cref="DefaultPolicyName"/>) use.</param>
    /// <param name="timeout">How long to wait for this provider; default <see cref="PolicyProviderTimeout"/> (1 s).</param>
    public CorsKitOptions AddPolicyProvider<TProvider>(string name, TimeSpan? timeout = null)
        where TProvider : class, ICorsKitPolicyProvider
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return SetProvider(name, timeout, static services => ActivatorUtilities.GetServiceOrCreateInstance<TProvider>(services));
    }

    /// <summary>Adds (or replaces) a named policy chosen per request by a function (see <see cref="ICorsKitPolicyProvider"/>).</summary>
    /// <param name="name">The name endpoints (or <see cref="DefaultPolicyName"/>) use.</param>
    /// <param name="provider">Returns the request's policy, or <see langword="null"/> for no CORS.</param>
    /// <param name="timeout">How long to wait for this provider; default <see cref="PolicyProviderTimeout"/> (1 s).</param>
    public CorsKitOptions AddPolicyProvider(string name, Func<HttpContext, CancellationToken, ValueTask<CorsPolicy?>> provider, TimeSpan? timeout = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(provider);
        return SetProvider(name, timeout, _ => new FunctionPolicyProvider(provider));
    }

    // PolicyProviderTimeout is read at startup, so it may be set after the provider is added. Every provider runs in the
    // application's one bulkhead (the UserCodeBulkhead service that AddCorsKit registers).
    private CorsKitOptions SetProvider(string name, TimeSpan? timeout, Func<IServiceProvider, ICorsKitPolicyProvider> create)
    {
        Registrations[name] = services => new ResolvedPolicy(new PolicyProvider(
            name,
            create(services),
            timeout ?? PolicyProviderTimeout,
            timeout is null ? nameof(PolicyProviderTimeout) : $"the timeout of policy provider '{name}'",
            services.GetRequiredService<UserCodeBulkhead>(),
            services.GetRequiredService<ILoggerFactory>().CreateLogger("CorsKit.AspNetCore.PolicyProviders"),
            services.GetService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>()?.ApplicationStarted ?? new CancellationToken(canceled: true)));
        return this;
    }

    /// <summary>
    /// Adds the default policy, used by every endpoint that names no other: registered under <see cref="DefaultPolicyName"/>
    /// if it is set, else under <c>default</c> (which then becomes <see cref="DefaultPolicyName"/>), as Microsoft's
    /// <c>CorsOptions.AddDefaultPolicy</c> does.
    /// </summary>
    /// <param name="configure">Configures the policy.</param>
    public CorsKitOptions AddDefaultPolicy(Action<CorsPolicyBuilder> configure)
    {
        // As Microsoft's CorsOptions: under the DefaultPolicyName already set, else under "default".
        DefaultPolicyName ??= DefaultPolicyKey;
        return AddPolicy(DefaultPolicyName, configure);
    }

    /// <summary>Adds the default policy from a Microsoft.AspNetCore.Cors <see cref="MicrosoftCorsPolicy"/> (see <see cref="AddPolicy(string, MicrosoftCorsPolicy)"/>).</summary>
    /// <param name="policy">The policy.</param>
    public CorsKitOptions AddDefaultPolicy(MicrosoftCorsPolicy policy)
    {
        DefaultPolicyName ??= DefaultPolicyKey;
        return AddPolicy(DefaultPolicyName, policy);
    }
}

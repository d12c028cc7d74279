using CorsKit.AspNetCore.Preflights;
using Microsoft.AspNetCore.Routing;
using CorsKit.AspNetCore;
using CorsKit.AspNetCore.Configuration;
using CorsKit.AspNetCore.Headers;
using CorsKit.AspNetCore.Hooks;
using CorsKit.AspNetCore.Metrics;
using CorsKit.AspNetCore.Origins;
using CorsKit.AspNetCore.WebSockets;
using CorsKit.Isolation;
using CorsKit.Policies;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using CorsKit.AspNetCore.Providers;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers CorsKit.</summary>
public static class CorsKitServiceCollectionExtensions
{
    /// <summary>Registers CorsKit with policies configured in code.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Adds policies and sets options.</param>
    public static IServiceCollection AddCorsKit(this IServiceCollection services, Action<CorsKitOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<CorsKitOptions>();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        // One clock and one bulkhead per application: policy providers (and, through the middleware, origin predicates)
        // run in it. A TimeProvider (tests: FakeTimeProvider) or UserCodeBulkhead the app registers replaces them.
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(CreateBulkhead);
        services.TryAddSingleton<CorsPolicyRegistry>();
        services.TryAddSingleton<ConfigurationReload>();
        services.TryAddSingleton(new MicrosoftCorsServices(services));
        services.TryAddSingleton<CorsKitRuntime>();
        services.TryAddSingleton<PreflightEndpoints>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<MatcherPolicy, PreflightMatcherPolicy>());
        services.TryAddSingleton<AfterRequestHooks>();
        services.TryAddSingleton<WebSocketOriginBudgets>();

        // The CorsKit meter comes from the app's IMeterFactory (registered here too for a host that has none).
        services.AddMetrics();
        services.TryAddSingleton<CorsKitMetrics>();

        // Origin sources the policies draw from are read before the app serves, and kept current in the background.
        services.TryAddSingleton<OriginSources>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, OriginSources>(s => s.GetRequiredService<OriginSources>()));
        services.TryAddEnumerable(ServiceDescriptor.Transient<IConfigureOptions<MvcOptions>, ActionResultHeaderFilterSetup>());
        if (!services.Any(s => s.ImplementationType == typeof(CorsKitStartupFilter)))
        {
            // First among the startup filters registered so far: their middleware runs inside CorsKit's, so CorsKit's
            // OnStarting callback, registered first, runs last and has the last word on every response's headers.
            services.Insert(0, ServiceDescriptor.Transient<IStartupFilter, CorsKitStartupFilter>());
        }
        return services;
    }

    // The binder's own messages say only that binding failed; these name the entry's path.
    private static CorsKitSettings Bind(IConfiguration section)
    {
        CheckKeys(section, typeof(CorsKitSettings));
        foreach (var policy in section.GetSection(nameof(CorsKitSettings.Policies)).GetChildren())
        {
            CheckKeys(policy, typeof(CorsPolicySettings));
        }

        try
        {
            return section.Get<CorsKitSettings>(binder => binder.ErrorOnUnknownConfiguration = true) ?? new CorsKitSettings();
        }
        catch (InvalidOperationException failed) when (failed.InnerException is InvalidOperationException { Message: var located })
        {
            throw new InvalidOperationException(located + " docs/configuration.md lists every key with its type.", failed);
        }
    }

    // A key that is no setting (a misspelt "Origin") would otherwise be ignored, and the policy silently different.
    private static void CheckKeys(IConfiguration section, [System.Diagnostics.CodeAnalysis.DynamicallyAccessedMembers(System.Diagnostics.CodeAnalysis.DynamicallyAccessedMemberTypes.PublicProperties)] Type settings)
    {
        var known = settings.GetProperties().Select(p => p.Name).ToArray();
        foreach (var child in section.GetChildren())
        {
            if (!known.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"{child.Path} is not a CorsKit setting; the keys here are {string.Join(", ", known)} (docs/configuration.md).");
            }
        }
    }

    private static UserCodeBulkhead CreateBulkhead(IServiceProvider services)
    {
        var bound = services.GetRequiredService<IOptions<CorsKitOptions>>().Value.MaxUserCodeCallsInFlight;
        if (bound is < 1 or > UserCodeBulkhead.MaxCallsInFlightLimit)
        {
            throw new CorsPolicyException($"MaxUserCodeCallsInFlight is {bound}; it must be 1 to {UserCodeBulkhead.MaxCallsInFlightLimit} (default {UserCodeBulkhead.DefaultMaxCallsInFlight})");
        }

        return new UserCodeBulkhead(services.GetRequiredService<TimeProvider>(), bound);
    }

    /// <summary>
    /// Registers CorsKit with policies bound from a configuration section (see <see cref="CorsKitSettings"/> for its shape),
    /// then <paramref name="configure"/> for anything code must add. Policies are validated at startup; an invalid entry
    /// is named by its configuration path (<c>CorsKit:Policies:spa:Origins:0</c>). When the configuration reloads
    /// (<c>reloadOnChange</c>), the policies are built again and replace the old ones whole; an invalid edit is refused,
    /// logged, and reported by the health check (<c>services.AddHealthChecks().AddCorsKit()</c>), and the last valid
    /// policies keep serving.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="section">The section, for example <c>builder.Configuration.GetSection("CorsKit")</c>.</param>
    /// <param name="configure">Further configuration in code.</param>
    public static IServiceCollection AddCorsKit(this IServiceCollection services, IConfiguration section, Action<CorsKitOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(section);
        var path = section is IConfigurationSection named ? named.Path : string.Empty;
        services.AddCorsKit(options =>
        {
            // Read again at each reload: the options are made anew from the configuration as it is then.
            // A key CorsKit does not know (a misspelt "Origin") or a value of the wrong type is an error, not a silent default.
            var settings = Bind(section);
            foreach (var (name, policy) in settings.Policies)
            {
                var policyPath = path.Length == 0 ? ConfigurationPath.Combine("Policies", name) : ConfigurationPath.Combine(path, "Policies", name);
                options.Registrations[name] = _ => new ResolvedPolicy(ConfiguredPolicy.Build(policy, name, policyPath));
            }

            if (settings.DefaultPolicy is not null)
            {
                options.DefaultPolicyName = settings.DefaultPolicy;
            }
            else if (settings.Policies.ContainsKey(CorsKitOptions.DefaultPolicyKey))
            {
                options.DefaultPolicyName = CorsKitOptions.DefaultPolicyKey;
            }

            options.DebugMode ??= settings.DebugMode;
        });

        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.AddSingleton(new CorsKitConfigurationSection(section));
        return services;
    }
}

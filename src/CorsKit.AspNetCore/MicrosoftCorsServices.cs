using CorsKit.Policies;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CorsKit.AspNetCore;

/// <summary>
/// The app's service registrations, read at startup for Microsoft CORS extension points an app moving to CorsKit may still
/// register: CorsKit never calls them, so keeping one would silently drop what it does.
/// </summary>
internal sealed class MicrosoftCorsServices(IServiceCollection services)
{
    /// <summary>Throws when the app registered its own <see cref="ICorsPolicyProvider"/> or <see cref="ICorsService"/>.</summary>
    public void RefuseIgnoredExtensions()
    {
        Refuse<ICorsPolicyProvider>(typeof(DefaultCorsPolicyProvider), "implement CorsKit.AspNetCore.ICorsKitPolicyProvider and register it with options.AddPolicyProvider<T>(\"name\")");
        Refuse<ICorsService>(typeof(CorsService), "CorsKit evaluates every request itself (CorsKit.Evaluation.CorsEvaluator); express the custom rule as a policy, an origin predicate or a policy provider");
    }

    // Microsoft's own implementation is registered by AddControllers (through MVC's CORS support) and is harmless.
    private void Refuse<TService>(Type microsofts, string fix)
    {
        var registration = services.LastOrDefault(d => d.ServiceType == typeof(TService) && !d.IsKeyedService);
        if (registration is not null && registration.ImplementationType != microsofts)
        {
            var implementation = registration.ImplementationType ?? registration.ImplementationInstance?.GetType();
            throw new CorsPolicyException(
                $"{typeof(TService).Name} {(implementation is null ? "(a factory)" : implementation.FullName)} is registered, but CorsKit never calls Microsoft's {typeof(TService).Name}; {fix}, and remove the registration");
        }
    }
}

using System.Reflection;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.Extensions.DependencyInjection;

namespace CorsKit.AspNetCore.Tests.Infrastructure;

/// <summary>Controllers for a test app: only the ones named, so each test app sees its own controllers and no others.</summary>
public static class ControllerSelection
{
    public static IMvcBuilder AddControllersOnly(this IServiceCollection services, params Type[] controllers) =>
        services.AddControllers()
            .AddApplicationPart(typeof(ControllerSelection).Assembly)
            .ConfigureApplicationPartManager(parts =>
            {
                parts.FeatureProviders.Remove(parts.FeatureProviders.OfType<ControllerFeatureProvider>().Single());
                parts.FeatureProviders.Add(new Only(controllers));
            });

    private sealed class Only(Type[] controllers) : ControllerFeatureProvider
    {
        protected override bool IsController(TypeInfo typeInfo) => controllers.Contains(typeInfo.AsType());
    }
}

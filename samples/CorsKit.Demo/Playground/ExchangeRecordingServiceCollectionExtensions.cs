using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CorsKit.Demo.Playground;

/// <summary>Registers the <see cref="ExchangeRecorder"/> and its middleware.</summary>
public static class ExchangeRecordingServiceCollectionExtensions
{
    /// <summary>
    /// Records every request tagged with <c>?corskit-run=</c>, preflights included. The middleware is put in front of
    /// every other startup filter (CorsKit's too), so it sees the responses exactly as they leave.
    /// </summary>
    /// <param name="services">The services.</param>
    public static IServiceCollection AddExchangeRecording(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(_ => new ExchangeRecorder());
        if (!services.Any(s => s.ImplementationType == typeof(ExchangeRecordingStartupFilter)))
        {
            // Startup filters wrap each other in registration order: the first registered is the outermost.
            services.Insert(0, ServiceDescriptor.Transient<IStartupFilter, ExchangeRecordingStartupFilter>());
        }

        return services;
    }
}

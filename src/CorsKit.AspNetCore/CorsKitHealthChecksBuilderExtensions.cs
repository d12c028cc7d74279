using CorsKit.AspNetCore.Origins;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Health checks for CorsKit.</summary>
public static class CorsKitHealthChecksBuilderExtensions
{
    /// <summary>
    /// Reports the origin sources the policies draw from: Healthy while every one is current, Degraded while one serves a
    /// stale copy (its store cannot be read, within <c>OriginSourceOptions.MaxStaleness</c>), Unhealthy while one refuses
    /// its origins (failed closed, or never read).
    /// </summary>
    /// <param name="builder">The health checks builder (<c>services.AddHealthChecks()</c>).</param>
    /// <param name="name">The check's name. Default <c>corskit-origin-sources</c>.</param>
    /// <param name="tags">Tags to filter checks by.</param>
    public static IHealthChecksBuilder AddCorsKitOriginSources(this IHealthChecksBuilder builder, string name = "corskit-origin-sources", IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(new HealthCheckRegistration(name, s => new OriginSourcesHealthCheck(s.GetRequiredService<OriginSources>()), failureStatus: null, tags));
    }
}

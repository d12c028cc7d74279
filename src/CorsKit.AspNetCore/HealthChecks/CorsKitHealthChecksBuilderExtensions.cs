using CorsKit.AspNetCore.HealthChecks;
using CorsKit.AspNetCore.Origins;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>CorsKit's health checks: the configuration's policies (<c>AddCorsKit</c>) and the origin sources (<c>AddCorsKitOriginSources</c>).</summary>
public static class CorsKitHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a health check that reports a configuration edit CorsKit refused (the last valid policies still serve until a
    /// valid edit follows), with the refusal and its fix as the description. Needs <c>AddCorsKit(...)</c>.
    /// </summary>
    /// <param name="builder">The health checks builder (<c>services.AddHealthChecks()</c>).</param>
    /// <param name="name">The check's name. Default <c>corskit</c>.</param>
    /// <param name="failureStatus">The status while an edit is refused. Default <see cref="HealthStatus.Degraded"/>.</param>
    /// <param name="tags">Tags to filter checks by.</param>
    public static IHealthChecksBuilder AddCorsKit(this IHealthChecksBuilder builder, string name = "corskit", HealthStatus failureStatus = HealthStatus.Degraded, IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        return builder.AddCheck<CorsKitHealthCheck>(name, failureStatus, tags ?? []);
    }

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

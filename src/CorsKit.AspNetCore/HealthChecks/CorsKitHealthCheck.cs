using CorsKit.AspNetCore.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CorsKit.AspNetCore.HealthChecks;

/// <summary>
/// Reports whether CorsKit serves the configured policies: healthy, or, after a configuration edit CorsKit refused, the
/// registration's failure status (default <see cref="HealthStatus.Degraded"/>: the last valid policies still serve) with
/// the refusal and its fix as the description.
/// </summary>
internal sealed class CorsKitHealthCheck(CorsPolicyRegistry policies, ConfigurationReload reload) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var result = reload.Refusal is { } refusal
            ? new HealthCheckResult(context.Registration.FailureStatus, $"the configuration edit read at {refusal.At:O} was refused, so the policies loaded before it still serve: {refusal.Message}")
            : HealthCheckResult.Healthy($"serving CORS policies: {string.Join(", ", policies.Names)}");
        return Task.FromResult(result);
    }
}

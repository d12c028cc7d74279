using CorsKit.Sources;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CorsKit.AspNetCore.Origins;

/// <summary>
/// Healthy while every origin source is current; Degraded while one serves a stale copy (its store cannot be read);
/// Unhealthy while one refuses its origins (failed closed, or its first read has not ended). Each source's status, last read, tenant and
/// origin counts are in the result's data.
/// </summary>
internal sealed class OriginSourcesHealthCheck(OriginSources sources) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        var worst = HealthStatus.Healthy;
        var failedClosed = false;
        foreach (var source in sources.Syncs.Select(s => s.Source))
        {
            var status = source.Status;
            data[source.Name] = $"{status}; last read {source.LastReadAt?.ToString("O", System.Globalization.CultureInfo.InvariantCulture) ?? "never"}; {source.TenantCount} tenants, {source.OriginCount} origins";
            var health = status switch
            {
                OriginSourceStatus.Current => HealthStatus.Healthy,
                OriginSourceStatus.Stale => HealthStatus.Degraded,
                _ => HealthStatus.Unhealthy,
            };
            worst = health < worst ? health : worst;
            failedClosed |= status is OriginSourceStatus.FailedClosed;
        }

        var description = worst switch
        {
            HealthStatus.Healthy => "every origin source is current",
            HealthStatus.Degraded => "an origin source serves a stale copy: its store has not been read since the copy turned stale",
            _ when failedClosed => "an origin source refuses its origins (failed closed): it holds no copy read within MaxStaleness",
            _ => "an origin source refuses its origins until its first read ends (not read yet)",
        };
        return Task.FromResult(new HealthCheckResult(worst, description, data: data));
    }
}

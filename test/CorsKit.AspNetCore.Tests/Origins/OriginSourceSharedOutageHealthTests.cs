using CorsKit.Sources;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

using static CorsKit.AspNetCore.Tests.Origins.SharedSourceHosts;

namespace CorsKit.AspNetCore.Tests.Origins;

/// <summary>
/// The health check of a host whose store is down while another host in the process read the store once and stopped:
/// the copy is served on this host's (moved) deadline, so it is a stale copy, and the health check must say so before
/// it fails closed.
/// </summary>
public sealed class OriginSourceSharedOutageHealthTests
{
    // B loses the store at its 30 s; A reads it and stops; B's retries at 40 s and 50 s fail, and B now serves the copy
    // on a deadline (fail closed at 100 s): the store cannot be read, so B's health check must be Degraded, as the
    // failure table says of a store lost while running. Before 8cc2fbf: the status A left (Current) stays, so the health check
    // says "every origin source is current" (Healthy) until it jumps to Unhealthy at 100 s, with no Degraded and no
    // further 42 in between.
    [Fact]
    public async Task OtherHostReadsThenStops_WhileThisHostCannotRead_HealthDegradedNotHealthy()
    {
        var (store, source, _, timeB, a, b) = await BLosesTheStoreThenAReadsItAsync();
        await using var hostB = b;
        await a.DisposeAsync();
        store.FailAfter = 0;

        for (var retry = 1; retry <= 2; retry++) // B's 40 s and 50 s
        {
            await AdvanceToNextFailedReadAsync(store, source, timeB, Options.RetryInterval);
        }

        await Task.Delay(100);
        var report = await b.App.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(
            $"{HealthStatus.Degraded} {OriginSourceStatus.Stale}",
            $"{report.Status} {source.Status}");
        Assert.Equal("an origin source serves a stale copy: its store has not been read since the copy turned stale", Assert.Single(report.Entries).Value.Description);
    }
}

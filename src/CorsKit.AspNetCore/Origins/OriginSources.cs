using CorsKit.Sources;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CorsKit.AspNetCore.Origins;

/// <summary>
/// Starts and stops the sync of every <see cref="OriginSource"/> the registered policies draw from (each source once,
/// however many policies share it). The first reads run in <see cref="StartingAsync"/>, before any hosted service starts
/// (the server included), so the app serves only once every source has been read, or has started stale or failed closed. A source used only by an inline endpoint policy (<c>WithCors(p =&gt; ...)</c>) is not seen here: register a
/// named policy that draws from it too, or it stays <see cref="OriginSourceStatus.Starting"/> (its origins refused).
/// </summary>
internal sealed class OriginSources(CorsPolicyRegistry policies, TimeProvider time, ILoggerFactory loggers) : IHostedLifecycleService
{
    private readonly List<OriginSourceSync> _syncs = [];

    /// <summary>The syncs, one per source.</summary>
    public IReadOnlyList<OriginSourceSync> Syncs => _syncs;

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger("CorsKit.AspNetCore.OriginSources");
        foreach (var source in policies.Policies.Select(p => p.Value.OriginSource).OfType<OriginSource>().Distinct())
        {
            var sync = new OriginSourceSync(source, time, logger);
            _syncs.Add(sync);
            await sync.StartAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var sync in _syncs)
        {
            await sync.DisposeAsync().ConfigureAwait(false);
        }

        _syncs.Clear();
    }
}

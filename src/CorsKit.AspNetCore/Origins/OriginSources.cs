using CorsKit.Sources;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CorsKit.AspNetCore.Origins;

/// <summary>
/// Starts and stops the sync of every <see cref="OriginSource"/> the registered policies draw from (each source once,
/// however many policies share it). The app starts once every source has been read, or has started stale or failed
/// closed. A source used only by an inline endpoint policy (<c>WithCors(p =&gt; ...)</c>) is not seen here: register a
/// named policy that draws from it too, or it stays <see cref="OriginSourceStatus.Starting"/> (its origins refused).
/// </summary>
internal sealed class OriginSources(CorsPolicyRegistry policies, TimeProvider time, ILoggerFactory loggers) : IHostedService
{
    private readonly List<OriginSourceSync> _syncs = [];

    /// <summary>The syncs, one per source.</summary>
    public IReadOnlyList<OriginSourceSync> Syncs => _syncs;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger("CorsKit.AspNetCore.OriginSources");
        foreach (var source in policies.Policies.Select(p => p.Value.OriginSource).OfType<OriginSource>().Distinct())
        {
            var sync = new OriginSourceSync(source, time, logger);
            _syncs.Add(sync);
            await sync.StartAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var sync in _syncs)
        {
            await sync.DisposeAsync().ConfigureAwait(false);
        }

        _syncs.Clear();
    }
}

using System.Diagnostics.Metrics;
using CorsKit.AspNetCore.Metrics;
using CorsKit.Sources;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CorsKit.AspNetCore.Origins;

/// <summary>
/// Starts and stops the sync of every <see cref="OriginSource"/> the policies draw from (each source once, however many
/// policies share it). Sources of registered policies are read in <see cref="StartingAsync"/>, before any hosted service
/// starts (the server included), so the app serves only once each has been read, or has started stale or failed closed.
/// Sources of inline endpoint policies (<c>WithCors(p =&gt; ...)</c>) are known only once the server has built its
/// endpoints: <see cref="StartedAsync"/> starts their first read without waiting for it, and they refuse their origins
/// until it ends.
/// </summary>
internal sealed class OriginSources : IHostedLifecycleService, IAsyncDisposable, IDisposable
{
    private const string SourceTag = OriginSource.SourceTag;

    private readonly CorsPolicyRegistry _policies;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly IServiceProvider _services;
    private readonly Counter<long> _reads;
    private readonly Histogram<double> _readDuration;
    private readonly Counter<long> _lookups;
    private OriginSourceSync[] _syncs = [];

    public OriginSources(CorsPolicyRegistry policies, TimeProvider time, ILoggerFactory loggers, CorsKitMetrics metrics, IServiceProvider services)
    {
        _policies = policies;
        _services = services;
        _time = time;
        _loggers = loggers;

        // Read on collection only: the request path is untouched.
        metrics.Meter.CreateObservableGauge(
            "corskit.origin_source.staleness",
            () => _syncs.Select(s => new Measurement<double>(s.Source.LastReadAt is { } read ? (_time.GetUtcNow() - read).TotalSeconds : double.NaN, new KeyValuePair<string, object?>(SourceTag, s.Source.Name))),
            unit: "s",
            description: "Time since the origin source's store last answered a read (NaN before the first).");
        metrics.Meter.CreateObservableGauge(
            "corskit.origin_source.origins",
            () => _syncs.Select(s => new Measurement<long>(s.Source.OriginCount, new KeyValuePair<string, object?>(SourceTag, s.Source.Name))),
            unit: "{origin}",
            description: "Origins in the origin source's local copy, over every tenant.");
        metrics.Meter.CreateObservableGauge(
            "corskit.origin_source.serving",
            () => _syncs.Select(s => new Measurement<int>(s.Source.Status is OriginSourceStatus.Current or OriginSourceStatus.Stale ? 1 : 0, new KeyValuePair<string, object?>(SourceTag, s.Source.Name))),
            unit: "{source}",
            description: "1 while the origin source's origins are allowed (current or stale), 0 while it refuses them (failed closed, or not read yet).");
        _reads = metrics.Meter.CreateCounter<long>("corskit.origin_source.reads", unit: "{read}", description: "Reads of an origin source's store: everything, or one tenant; succeeded or failed.");
        _readDuration = metrics.Meter.CreateHistogram<double>("corskit.origin_source.read.duration", unit: "s", description: "How long a read of an origin source's store took, from the request to the new copy in place (the refresh lag after a change notification).");

        // Counted by the source itself, where the lookup happens, only while something listens (OriginSource.Contains).
        _lookups = metrics.Meter.CreateCounter<long>("corskit.origin_source.lookups", unit: "{lookup}", description: "Request origins looked up in an origin source's local copy: hit, miss, or not_serving (the source refuses every origin).");
    }

    /// <summary>The syncs, one per source.</summary>
    public IReadOnlyList<OriginSourceSync> Syncs => _syncs;

    /// <summary>Records one read of a store.</summary>
    public void RecordRead(string source, bool full, TimeSpan took, bool succeeded)
    {
        var tags = new System.Diagnostics.TagList { { SourceTag, source }, { "corskit.origin_source.read", full ? "full" : "tenant" }, { "corskit.origin_source.result", succeeded ? "succeeded" : "failed" } };
        _reads.Add(1, tags);
        _readDuration.Record(took.TotalSeconds, tags);
    }

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        foreach (var sync in AddSyncs(_policies.Policies.Select(p => p.Value.OriginSource)))
        {
            await sync.StartAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // The sources of the policies endpoints actually use (an endpoint's own WithCors over its group's) and of every
    // UseCorsKit(policy => ...) default (which serves requests no endpoint matches, in an app with no endpoints too),
    // read in the background: the host's start does not wait on a store, and each such source refuses its origins
    // until read.
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        var endpoints = _services.GetService<EndpointDataSource>()?.Endpoints ?? [];
        var sources = endpoints.Select(e => _policies.Resolve(e).Policy?.OriginSource)
            .Concat(_policies.Selections.Select(s => s.Policy.Policy?.OriginSource));
        foreach (var sync in AddSyncs(sources))
        {
            sync.StartInBackground();
        }

        return Task.CompletedTask;
    }

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var syncs = _syncs;
        _syncs = [];
        foreach (var sync in syncs)
        {
            sync.Source.StopCountingLookupsOn(_lookups);
        }

        // All at once: each sync's wait (and its grace past a spent token) runs beside the others', so hung stores add
        // one grace to the host's stop, not one each, and one sync's failure does not leave the others running.
        await Task.WhenAll(syncs.Select(sync => sync.StopAsync(cancellationToken))).ConfigureAwait(false);
    }

    // A host whose start failed (a later hosted service threw) is disposed without being stopped: stop the syncs it
    // started, so that none keeps reading the store, or takes over another host's outage, for a disposed host. Stopped
    // already, this finds none. A read that ignores its cancellation is waited for at most the stop's grace (1 s).
    public async ValueTask DisposeAsync() => await StopAsync(new CancellationToken(canceled: true)).ConfigureAwait(false);

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    // A sync for each source not synced yet.
    private List<OriginSourceSync> AddSyncs(IEnumerable<OriginSource?> sources)
    {
        var logger = _loggers.CreateLogger("CorsKit.AspNetCore.OriginSources");
        var added = new List<OriginSourceSync>();
        foreach (var source in sources.OfType<OriginSource>().Distinct().Where(s => !_syncs.Any(sync => sync.Source == s)).ToList())
        {
            source.CountLookupsOn(_lookups);
            var sync = new OriginSourceSync(source, _time, logger, RecordRead);
            _syncs = [.. _syncs, sync];
            added.Add(sync);
        }

        return added;
    }
}

using System.Diagnostics.Metrics;
using CorsKit.AspNetCore.Origins;
using CorsKit.AspNetCore.Tests.Infrastructure;
using CorsKit.Sources;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace CorsKit.AspNetCore.Tests.Origins;

/// <summary>
/// Two hosts in one process sharing one source (supported: OriginSourceCompositionTests.TwoHostsShareOneSource_*), each
/// syncing it on its own loop: host A's full read and host B's read of the untenanted set land at once.
/// </summary>
/// <remarks>The two racing threads need both cores: these tests run alone, or other tests' threads keep them apart.</remarks>
[Collection(nameof(OriginSourceUntenantedRaceTests))]
public sealed class OriginSourceUntenantedRaceTests
{
    private const string Kept = "https://kept.example";
    private const string Removed = "https://removed.example";

    // The full read was made before Removed left the store, the tenant read after. Whichever lands last, what the
    // policy without tenants allows must be what the copy holds (before d0469d0 it always was: the served copy was the
    // dictionary the tenant read wrote into). Since d0469d0, a tenant read landing in the new copy between Serve taking
    // its "" set and publishing it is lost for requests but kept in the copy: Removed stays allowed until the next full
    // read, while OriginsOf(""), the snapshot and the origins gauge say it is gone.
    [Fact]
    public async Task TwoHostsFullReadRacingUntenantedRemoval_RemovedOriginRefusedOnceTheCopyDropsIt()
    {
        using var store = new SplitStore();
        var source = new OriginSource("shared", store);
        await using var a = await TestApp.StartAsync(cors => cors.AddDefaultPolicy(p => p.WithOriginsFrom(source)), web => web.MapGet("/plain", () => "a"));
        await using var b = await TestApp.StartAsync(cors => cors.AddDefaultPolicy(p => p.WithOriginsFrom(source)), web => web.MapGet("/plain", () => "b"));
        var syncA = Assert.Single(a.App.Services.GetRequiredService<OriginSources>().Syncs);
        var syncB = Assert.Single(b.App.Services.GetRequiredService<OriginSources>().Syncs);
        using var readsA = new MetricCollector<long>(a.App.Services.GetRequiredService<IMeterFactory>(), "CorsKit", "corskit.origin_source.reads");
        using var readsB = new MetricCollector<long>(b.App.Services.GetRequiredService<IMeterFactory>(), "CorsKit", "corskit.origin_source.reads");

        store.Racing = true;
        var round = 0;
        for (var i = 1; i <= 60_000; i++)
        {
            syncA.Changed(null);
            syncB.Changed(string.Empty);
            await readsA.WaitForMeasurementsAsync(i).WaitAsync(TimeSpan.FromSeconds(30));
            await readsB.WaitForMeasurementsAsync(i).WaitAsync(TimeSpan.FromSeconds(30));
            round = i;
            if (!source.OriginsOf(string.Empty).Contains(Removed) && source.Contains(null, Removed))
            {
                break;
            }
        }

        using var response = await a.GetAsync("/plain", Removed);
        var allowed = response.Headers.Contains("Access-Control-Allow-Origin");

        Assert.False(
            allowed && !source.OriginsOf(string.Empty).Contains(Removed),
            $"round {round}: {Removed} allowed while the copy holds [{string.Join(", ", source.OriginsOf(string.Empty))}] ({source.OriginCount} origins, status {source.Status})");
    }

    // A full read lists the set as it was before the removal; a read of the untenanted set, as it is after. The two reads
    // meet before they answer (each host's loop blocks on its own thread), then one of them waits 0-99 spins, so that
    // the two loops' writes to the source fall on every interleaving.
    private sealed class SplitStore : IOriginStore, IDisposable
    {
        private readonly Barrier _meet = new(2);
        private readonly Random _random = new(1);
        private int _offset;

        public void Dispose() => _meet.Dispose();

        public async IAsyncEnumerable<TenantOrigins> ListAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.Yield();
            Meet(full: true);
            yield return new TenantOrigins(string.Empty, [Kept, Removed]);
        }

        public Task<IReadOnlyCollection<string>> ListAsync(string tenant, CancellationToken cancellationToken)
        {
            Meet(full: false);
            return Task.FromResult<IReadOnlyCollection<string>>([Kept]);
        }

        public Task<IAsyncDisposable?> WatchAsync(Action<string?> changed, CancellationToken cancellationToken) =>
            Task.FromResult<IAsyncDisposable?>(null);

        // Only the race's reads meet: the hosts' first full reads (Racing still false) answer at once.
        public bool Racing { get; set; }

        private void Meet(bool full)
        {
            if (!Racing)
            {
                return;
            }

            if (full)
            {
                Volatile.Write(ref _offset, _random.Next(-100, 100));
            }

            if (!_meet.SignalAndWait(TimeSpan.FromSeconds(30)))
            {
                throw new TimeoutException("the other host's read never came");
            }

            var offset = Volatile.Read(ref _offset);
            Thread.SpinWait(full ? Math.Max(0, offset) : Math.Max(0, -offset));
        }
    }
}

/// <summary>Runs <see cref="OriginSourceUntenantedRaceTests"/> alone.</summary>
[CollectionDefinition(nameof(OriginSourceUntenantedRaceTests), DisableParallelization = true)]
public sealed class UntenantedRacesRunAlone;

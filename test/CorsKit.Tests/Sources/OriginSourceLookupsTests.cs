using System.Diagnostics.Metrics;
using CorsKit.Sources;

namespace CorsKit.Tests.Sources;

/// <summary>The lookups counter, listened to, from several threads at once: every lookup counted, nothing allocated.</summary>
public sealed class OriginSourceLookupsTests
{
    private const string Acme = "https://app.acme.example";
    private const string Globex = "https://app.globex.example";

    [Fact]
    public async Task ContainsWhileListened_FourThreads_EveryLookupCountedAndNothingAllocated()
    {
        using var meter = new Meter("CorsKit");
        var counter = meter.CreateCounter<long>("corskit.origin_source.lookups");
        long counted = 0;
        using var listener = new MeterListener { InstrumentPublished = (i, l) => { if (ReferenceEquals(i, counter)) { l.EnableMeasurementEvents(i); } } };
        listener.SetMeasurementEventCallback<long>((_, v, _, _) => Interlocked.Add(ref counted, v));
        listener.Start();
        var source = new OriginSource("s", new EmptyOriginStore());
        source.CountLookupsOn(counter);
        source.ReplaceAll([new TenantOrigins("t", [Acme])], DateTimeOffset.UtcNow, []);
        for (var i = 0; i < 1000; i++)
        {
            source.Contains("t", Acme);
        }

        var tasks = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 100_000; i++)
            {
                source.Contains("t", i % 2 == 0 ? Acme : Globex);
            }
        })).ToArray();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            source.Contains("t", Acme);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        await Task.WhenAll(tasks);
        Assert.Equal(0, allocated);
        Assert.Equal(1000 + 400_000 + 10_000, Interlocked.Read(ref counted));
    }
}

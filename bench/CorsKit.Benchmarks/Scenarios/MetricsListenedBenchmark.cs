using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using CorsKit.Benchmarks.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace CorsKit.Benchmarks.Scenarios;

/// <summary>
/// The allowed simple request (<c>GET /items</c>) with CorsKit's meter listened to, beside the rows where nothing
/// listens (None, Microsoft and CorsKit, as in every scenario): a <see cref="MeterListener"/> enables every instrument of
/// the <c>CorsKit</c> meter and adds up what <c>corskit.requests</c> reports, so the extra row's cost over CorsKit is
/// what the instrumentation itself costs (the tag list, the dispatch to a listener) without an exporter's aggregation.
/// </summary>
public class MetricsListenedBenchmark : CorsScenario
{
    private MeterListener? _listener;
    private long _counted;

    protected override CorsSetup App { get; } = new(new PolicyShape());

    protected override BenchRequest Request { get; } = BenchRequest.Get("/items", PolicyShape.AppOrigin);

    [GlobalSetup(Target = nameof(CorsKitListened))]
    public void SetupCorsKitListened()
    {
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "CorsKit")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) => _counted += value);
        _listener.Start();
        Start(Implementation.CorsKit);
        if (_counted != 1)
        {
            throw new InvalidOperationException($"{nameof(MetricsListenedBenchmark)}: the listener counted {_counted} requests for one, expected 1");
        }
    }

    // The listener must not outlive its row: the quick job runs every benchmark in this one process.
    public override void Cleanup()
    {
        base.Cleanup();
        _listener?.Dispose();
        _listener = null;
    }

    [Benchmark]
    public Task CorsKitListened() => SendNextAsync();

    protected override void Verify(Implementation implementation, HttpResponse response)
    {
        Expect.Status(response, StatusCodes.Status200OK, nameof(MetricsListenedBenchmark));
        Expect.AllowOriginFor(implementation, response, PolicyShape.AppOrigin, nameof(MetricsListenedBenchmark));
    }
}

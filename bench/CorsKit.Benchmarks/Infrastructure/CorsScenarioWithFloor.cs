using BenchmarkDotNet.Attributes;

namespace CorsKit.Benchmarks.Infrastructure;

/// <summary>
/// A scenario with a fourth row, the floor (<see cref="FloorMiddleware"/>): CorsKit's answer to this scenario's request,
/// recorded once and sent from precomputed headers. CorsKit's cost over no CORS divided by the floor's says how much of
/// what CorsKit adds is more than any CORS layer must add. Before measuring, the floor's response is checked to be
/// CorsKit's, header for header.
/// </summary>
public abstract class CorsScenarioWithFloor : CorsScenario
{
    private FloorResponse? _floor;

    [GlobalSetup(Target = nameof(Floor))]
    public void SetupFloor()
    {
        _floor = FloorResponse.Record(App, Request);
        _floor.Verify(Start(Implementation.Floor, _floor), GetType().Name);
    }

    [Benchmark]
    public Task Floor() => SendNextAsync();
}

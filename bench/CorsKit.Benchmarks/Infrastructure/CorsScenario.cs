using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;

namespace CorsKit.Benchmarks.Infrastructure;

/// <summary>
/// One scenario, three pipelines in the same run: the app without CORS (the baseline), with Microsoft's CORS, with
/// CorsKit (and, in <see cref="CorsScenarioWithFloor"/>, the floor). Each benchmark process builds only the pipeline it measures, and checks once, before measuring, that the
/// response is the one the scenario is about (so a scenario cannot silently measure the wrong path).
/// </summary>
public abstract class CorsScenario
{
    private InProcessHost? _host;

    protected abstract CorsSetup App { get; }

    /// <summary>The pipeline this process measures, set before <see cref="App"/> is read.</summary>
    protected Implementation Measuring { get; private set; }

    /// <summary>The request every operation sends.</summary>
    protected abstract BenchRequest Request { get; }

    [GlobalSetup(Target = nameof(None))]
    public void SetupNone() => Start(Implementation.None);

    [GlobalSetup(Target = nameof(Microsoft))]
    public void SetupMicrosoft() => Start(Implementation.Microsoft);

    [GlobalSetup(Target = nameof(CorsKit))]
    public void SetupCorsKit() => Start(Implementation.CorsKit);

    [GlobalCleanup]
    public virtual void Cleanup() => _host?.Dispose();

    [Benchmark(Baseline = true)]
    public Task None() => _host!.SendAsync(NextRequest());

    [Benchmark]
    public Task Microsoft() => _host!.SendAsync(NextRequest());

    [Benchmark]
    public Task CorsKit() => _host!.SendAsync(NextRequest());

    /// <summary>The request of the next operation; a scenario may vary it (a flood of distinct origins).</summary>
    protected virtual BenchRequest NextRequest() => Request;

    /// <summary>Throws when the response is not what the scenario measures.</summary>
    protected abstract void Verify(Implementation implementation, HttpResponse response);

    /// <summary>Sends the next request through the pipeline this process measures.</summary>
    protected Task SendNextAsync() => _host!.SendAsync(NextRequest());

    /// <summary>Starts the pipeline of <paramref name="implementation"/> and checks its response to the scenario's request.</summary>
    protected HttpResponse Start(Implementation implementation, FloorResponse? floor = null)
    {
        Measuring = implementation;
        _host = InProcessHost.Start(implementation, App, floor);
        var response = _host.Send(NextRequest());
        Verify(implementation, response);
        return response;
    }
}

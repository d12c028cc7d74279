using CorsKit.Benchmarks.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace CorsKit.Benchmarks.Scenarios;

/// <summary>
/// The 100-regex policy under a flood of distinct allowed origins: 262,144 of them in turn, so no origin repeats
/// within any cache a middleware could reasonably keep. Shows the cost without reuse, and (MemoryDiagnoser) that
/// memory does not grow with the number of origins seen.
/// </summary>
public class RegexOriginsFloodBenchmark : CorsScenario
{
    private const int OriginCount = 1 << 18;
    private readonly BenchRequest[] _requests = [.. Enumerable.Range(0, OriginCount).Select(i => BenchRequest.Get("/items", RegexOrigins.OriginAt(i)))];
    private int _next;

    protected override CorsSetup App => RegexOrigins.App;

    protected override BenchRequest Request => _requests[0];

    protected override BenchRequest NextRequest() => _requests[_next++ & (OriginCount - 1)];

    protected override void Verify(Implementation implementation, HttpResponse response)
    {
        Expect.Status(response, StatusCodes.Status200OK, nameof(RegexOriginsFloodBenchmark));
        Expect.AllowOriginFor(implementation, response, _requests[0].Origin, nameof(RegexOriginsFloodBenchmark));
    }
}

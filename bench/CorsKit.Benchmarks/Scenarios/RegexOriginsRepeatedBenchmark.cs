using CorsKit.Benchmarks.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace CorsKit.Benchmarks.Scenarios;

/// <summary>The 100-regex policy, with requests from 16 allowed origins in turn (the same few clients, over and over).</summary>
public class RegexOriginsRepeatedBenchmark : CorsScenario
{
    private const int OriginCount = 16;
    private readonly BenchRequest[] _requests = [.. Enumerable.Range(0, OriginCount).Select(i => BenchRequest.Get("/items", RegexOrigins.OriginAt(i * 37)))];
    private int _next;

    protected override CorsSetup App => RegexOrigins.App;

    protected override BenchRequest Request => _requests[0];

    protected override BenchRequest NextRequest() => _requests[_next++ & (OriginCount - 1)];

    protected override void Verify(Implementation implementation, HttpResponse response)
    {
        Expect.Status(response, StatusCodes.Status200OK, nameof(RegexOriginsRepeatedBenchmark));
        Expect.AllowOriginFor(implementation, response, _requests[0].Origin, nameof(RegexOriginsRepeatedBenchmark));
    }
}

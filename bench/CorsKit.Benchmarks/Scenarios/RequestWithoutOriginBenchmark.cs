using CorsKit.Benchmarks.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace CorsKit.Benchmarks.Scenarios;

/// <summary><c>GET /items</c> without <c>Origin</c> (same-origin or server-to-server): CORS has nothing to add but <c>Vary</c>.</summary>
public class RequestWithoutOriginBenchmark : CorsScenario
{
    protected override CorsSetup App { get; } = new(new PolicyShape());

    protected override BenchRequest Request { get; } = BenchRequest.Get("/items", origin: null);

    protected override void Verify(Implementation implementation, HttpResponse response)
    {
        Expect.Status(response, StatusCodes.Status200OK, nameof(RequestWithoutOriginBenchmark));
        Expect.AllowOrigin(response, null, nameof(RequestWithoutOriginBenchmark));
    }
}

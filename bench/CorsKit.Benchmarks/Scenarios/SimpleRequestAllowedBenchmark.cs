using CorsKit.Benchmarks.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace CorsKit.Benchmarks.Scenarios;

/// <summary><c>GET /items</c> from the allowed origin: the request every CORS API serves most.</summary>
public class SimpleRequestAllowedBenchmark : CorsScenarioWithFloor
{
    protected override CorsSetup App { get; } = new(new PolicyShape());

    protected override BenchRequest Request { get; } = BenchRequest.Get("/items", PolicyShape.AppOrigin);

    protected override void Verify(Implementation implementation, HttpResponse response)
    {
        Expect.Status(response, StatusCodes.Status200OK, nameof(SimpleRequestAllowedBenchmark));
        Expect.AllowOriginFor(implementation, response, PolicyShape.AppOrigin, nameof(SimpleRequestAllowedBenchmark));
    }
}

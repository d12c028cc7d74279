using CorsKit.Benchmarks.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace CorsKit.Benchmarks.Scenarios;

/// <summary><c>GET /items</c> from an origin the policy does not list: served, with no CORS headers.</summary>
public class DisallowedOriginBenchmark : CorsScenario
{
    protected override CorsSetup App { get; } = new(new PolicyShape());

    protected override BenchRequest Request { get; } = BenchRequest.Get("/items", "https://evil.example.net");

    protected override void Verify(Implementation implementation, HttpResponse response)
    {
        Expect.Status(response, StatusCodes.Status200OK, nameof(DisallowedOriginBenchmark));
        Expect.AllowOrigin(response, null, nameof(DisallowedOriginBenchmark));
    }
}

using CorsKit.Benchmarks.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace CorsKit.Benchmarks.Scenarios;

/// <summary>
/// A policy <c>https://*.example.com</c> (Microsoft: the same entry with SetIsOriginAllowedToAllowWildcardSubdomains);
/// the request comes from <c>https://eu.app.example.com</c>.
/// </summary>
public class WildcardSubdomainBenchmark : CorsScenario
{
    private const string Origin = "https://eu.app.example.com";

    protected override CorsSetup App { get; } = new(new PolicyShape { Origins = ["https://*.example.com"] });

    protected override BenchRequest Request { get; } = BenchRequest.Get("/items", Origin);

    protected override void Verify(Implementation implementation, HttpResponse response)
    {
        Expect.Status(response, StatusCodes.Status200OK, nameof(WildcardSubdomainBenchmark));
        Expect.AllowOriginFor(implementation, response, Origin, nameof(WildcardSubdomainBenchmark));
    }
}

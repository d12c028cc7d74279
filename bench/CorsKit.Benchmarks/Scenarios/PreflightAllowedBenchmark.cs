using CorsKit.Benchmarks.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace CorsKit.Benchmarks.Scenarios;

/// <summary>The preflight of <c>PUT /items</c> with <c>content-type,x-token</c>, allowed; answered by the middleware.</summary>
public class PreflightAllowedBenchmark : CorsScenarioWithFloor
{
    protected override CorsSetup App { get; } = new(new PolicyShape());

    protected override BenchRequest Request { get; } = BenchRequest.Preflight("/items", PolicyShape.AppOrigin, "PUT", "content-type,x-token");

    protected override void Verify(Implementation implementation, HttpResponse response)
    {
        if (implementation != Implementation.None)
        {
            Expect.Status(response, StatusCodes.Status204NoContent, nameof(PreflightAllowedBenchmark));
        }

        Expect.AllowOriginFor(implementation, response, PolicyShape.AppOrigin, nameof(PreflightAllowedBenchmark));
    }
}

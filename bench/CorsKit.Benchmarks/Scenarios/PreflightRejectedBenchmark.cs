using CorsKit.Benchmarks.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace CorsKit.Benchmarks.Scenarios;

/// <summary>A preflight from the allowed origin asking for a header the policy does not allow (<c>x-foo</c>).</summary>
public class PreflightRejectedBenchmark : CorsScenario
{
    protected override CorsSetup App { get; } = new(new PolicyShape());

    protected override BenchRequest Request { get; } = BenchRequest.Preflight("/items", PolicyShape.AppOrigin, "PUT", "content-type,x-foo");

    protected override void Verify(Implementation implementation, HttpResponse response)
    {
        // CorsKit sends the origin and the policy's own lists, so the browser names the missing header; Microsoft sends
        // the origin without Access-Control-Allow-Headers. Neither allows x-foo.
        if (implementation != Implementation.None)
        {
            Expect.Status(response, StatusCodes.Status204NoContent, nameof(PreflightRejectedBenchmark));
            if (response.Headers.AccessControlAllowHeaders.ToString().Contains("x-foo", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"{nameof(PreflightRejectedBenchmark)}: x-foo was allowed");
            }
        }
    }
}

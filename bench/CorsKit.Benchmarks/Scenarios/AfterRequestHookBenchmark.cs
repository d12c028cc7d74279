using CorsKit.Benchmarks.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace CorsKit.Benchmarks.Scenarios;

/// <summary>
/// The simple allowed request, with a header added to every response after the endpoint: CorsKit's
/// <c>app.AfterRequest</c> hook against the hand-written <c>OnStarting</c> middleware the other two need.
/// </summary>
public class AfterRequestHookBenchmark : CorsScenario
{
    protected override CorsSetup App { get; } = new(new PolicyShape(), afterRequestHeader: true);

    protected override BenchRequest Request { get; } = BenchRequest.Get("/items", PolicyShape.AppOrigin);

    protected override void Verify(Implementation implementation, HttpResponse response)
    {
        Expect.Status(response, StatusCodes.Status200OK, nameof(AfterRequestHookBenchmark));
        Expect.AllowOriginFor(implementation, response, PolicyShape.AppOrigin, nameof(AfterRequestHookBenchmark));
        if (response.Headers["X-Served-By"] != "bench")
        {
            throw new InvalidOperationException($"{nameof(AfterRequestHookBenchmark)} ({implementation}): X-Served-By is '{response.Headers["X-Served-By"]}', expected 'bench'");
        }
    }
}

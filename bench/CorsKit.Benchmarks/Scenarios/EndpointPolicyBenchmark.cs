using CorsKit.Benchmarks.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace CorsKit.Benchmarks.Scenarios;

/// <summary>
/// <c>GET /partner</c>, whose endpoint names the <c>partner</c> policy in its metadata (Microsoft: <c>RequireCors("partner")</c>;
/// CorsKit: <c>WithCors("partner")</c>), from the partner's origin; the default policy does not allow it.
/// </summary>
public class EndpointPolicyBenchmark : CorsScenario
{
    private const string PartnerOrigin = "https://partner.example.org";

    protected override CorsSetup App { get; } = new(new PolicyShape(), new PolicyShape { Origins = [PartnerOrigin], Methods = ["PUT"], ExposedHeaders = [] });

    protected override BenchRequest Request { get; } = BenchRequest.Get("/partner", PartnerOrigin);

    protected override void Verify(Implementation implementation, HttpResponse response)
    {
        Expect.Status(response, StatusCodes.Status200OK, nameof(EndpointPolicyBenchmark));
        Expect.AllowOriginFor(implementation, response, PartnerOrigin, nameof(EndpointPolicyBenchmark));
    }
}

using System.Globalization;
using BenchmarkDotNet.Attributes;
using CorsKit.Benchmarks.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace CorsKit.Benchmarks.Scenarios;

/// <summary>
/// A policy listing <see cref="OriginCount"/> exact origins (same length, so only the count differs); the request comes
/// from the one in the middle of the list. One origin against 10,000 shows whether the lookup depends on the list.
/// </summary>
public class ExactOriginsBenchmark : CorsScenario
{
    private CorsSetup? _app;
    private BenchRequest? _request;

    [Params(1, 10_000)]
    public int OriginCount { get; set; }

    protected override CorsSetup App => _app ??= new(new PolicyShape { Origins = [.. Enumerable.Range(0, OriginCount).Select(OriginAt)] });

    protected override BenchRequest Request => _request ??= BenchRequest.Get("/items", OriginAt(OriginCount / 2));

    protected override void Verify(Implementation implementation, HttpResponse response)
    {
        Expect.Status(response, StatusCodes.Status200OK, nameof(ExactOriginsBenchmark));
        Expect.AllowOriginFor(implementation, response, OriginAt(OriginCount / 2), nameof(ExactOriginsBenchmark));
    }

    private static string OriginAt(int index) => string.Create(CultureInfo.InvariantCulture, $"https://app-{index:D5}.example.com");
}

using CorsKit.AspNetCore.Tests.Infrastructure;
using CorsKit.Demo;
using Microsoft.AspNetCore.TestHost;

namespace CorsKit.AspNetCore.Tests.Demo;

/// <summary>
/// OpenTelemetry listens to every meter named CorsKit in the process, whichever app made it: these tests run alone, so no
/// other test's requests are counted in the demo's export.
/// </summary>
[CollectionDefinition(nameof(DemoMetricsTests), DisableParallelization = true)]
public sealed class RunsAlone;

/// <summary>The demo as it ships exports CorsKit's meter for Prometheus at /metrics on the API port.</summary>
[Collection(nameof(DemoMetricsTests))]
public sealed class DemoMetricsTests
{
    private const string Api = "http://127.0.0.1:5080";
    private const string Page = "http://127.0.0.1:5081";

    [Fact]
    public async Task Metrics_AfterAFewRequests_ExportsExactlyTheirCounts()
    {
        await using var app = DemoApp.Build(["--environment", "Production"], builder => builder.WebHost.UseTestServer());
        await app.StartAsync();
        using var client = app.GetTestClient();
        client.BaseAddress = new Uri(Api);

        CorsAssert.Headers(await SendAsync(client, HttpMethod.Get, "/api/items", Page), ("Access-Control-Allow-Origin", Page), ("Access-Control-Allow-Credentials", "true"), ("Access-Control-Expose-Headers", "X-Total-Count"), ("Vary", "Origin"));
        CorsAssert.Headers(await SendAsync(client, HttpMethod.Get, "/api/items", Page), ("Access-Control-Allow-Origin", Page), ("Access-Control-Allow-Credentials", "true"), ("Access-Control-Expose-Headers", "X-Total-Count"), ("Vary", "Origin"));
        CorsAssert.Headers(await SendAsync(client, HttpMethod.Options, "/api/items", "https://evil.example", ("Access-Control-Request-Method", "PUT")), ("Vary", "Origin"));
        CorsAssert.Headers(await SendAsync(client, HttpMethod.Get, "/api/public", null), ("Access-Control-Allow-Origin", "*"));

        var scrape = await client.GetAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Equal(200, (int)scrape.StatusCode);
        var text = await scrape.Content.ReadAsStringAsync();
        var scope = $"otel_scope_name=\"CorsKit\",otel_scope_version=\"{typeof(CorsKitOptions).Assembly.GetName().Version}\"";
        Assert.Equal(
            [
                "# TYPE corskit_requests_total counter",
                "# HELP corskit_requests_total Responses CorsKit finished, by what CORS decided for them.",
                $"corskit_requests_total{{{scope},corskit_outcome=\"allowed\",corskit_policy_name=\"items\",corskit_preflight=\"false\"}} 2",
                $"corskit_requests_total{{{scope},corskit_outcome=\"rejected\",corskit_policy_name=\"items\",corskit_preflight=\"true\",corskit_rejection_reason=\"origin_not_allowed\"}} 1",
                $"corskit_requests_total{{{scope},corskit_outcome=\"not_cors\",corskit_policy_name=\"public\",corskit_preflight=\"false\"}} 1",
            ],
            text.Split('\n').Where(line => line.Contains("corskit_", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Metrics_OnThePagePort_NotServed()
    {
        await using var app = DemoApp.Build(["--environment", "Production"], builder => builder.WebHost.UseTestServer());
        await app.StartAsync();
        using var client = app.GetTestClient();
        client.BaseAddress = new Uri(Page);

        var response = await client.GetAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Equal(404, (int)response.StatusCode);
        Assert.Equal(string.Empty, await response.Content.ReadAsStringAsync());
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string? origin, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(method, path);
        if (origin is not null)
        {
            request.Headers.TryAddWithoutValidation("Origin", origin);
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return client.SendAsync(request);
    }
}

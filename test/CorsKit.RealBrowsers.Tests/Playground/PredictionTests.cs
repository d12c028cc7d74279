using CorsKit.Demo.Playground;

namespace CorsKit.RealBrowsers.Tests.Playground;

/// <summary>The replay of the browser model over recorded exchanges, on made-up wires (no browser needed).</summary>
public sealed class PredictionTests
{
    private const string Page = "http://127.0.0.1:5081";
    private const string Url = "http://127.0.0.1:5080/api/items?corskit-run=1";
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private static readonly BrowserRequest Put = new(Url, Page) { Method = "PUT", Headers = [new("X-Token", "t")] };

    [Fact]
    public void Replay_PreflightThenRequest_AllowedWithoutDisagreement()
    {
        var prediction = Prediction.Replay(Put, [Preflight(0, "600"), Actual(1)], new PreflightCache());

        Assert.Empty(prediction.Disagreements);
        Assert.True(prediction.Final!.IsAllowed);
        Assert.Equal(TimeSpan.FromSeconds(600), prediction.Final.PreflightCache!.Chromium);
    }

    [Fact]
    public void Replay_NoPreflightOnTheWire_ReportsThatTheModelPredictsOne()
    {
        var prediction = Prediction.Replay(Put, [Actual(0)], new PreflightCache());

        Assert.Null(prediction.Final);
        Assert.Contains(prediction.Disagreements, d => d.Contains("the model predicts a preflight", StringComparison.Ordinal));
        Assert.Contains(prediction.Disagreements, d => d.Contains("which the model does not predict", StringComparison.Ordinal));
    }

    [Fact]
    public void ReplaySequence_SecondRequestWithinMaxAge_PredictsTheCachedPreflight()
    {
        var predictions = Prediction.ReplaySequence([Put, Put], [Preflight(0, "600"), Actual(1), Actual(2)], new PreflightCache());

        Assert.All(predictions, p => Assert.Empty(p.Disagreements));
        Assert.True(predictions[1].Hops[0].PreflightFromCache);
    }

    [Fact]
    public void ReplaySequence_SecondRequestAfterMaxAge_ExpectsAnotherPreflight()
    {
        var predictions = Prediction.ReplaySequence([Put, Put], [Preflight(0, "1"), Actual(1), Actual(2, seconds: 5)], new PreflightCache());

        Assert.Contains(predictions[1].Disagreements, d => d.Contains("the model predicts a preflight", StringComparison.Ordinal));
    }

    [Fact]
    public void Replay_PreflightHeadersDifferFromThePlan_ReportsTheHeader()
    {
        var preflight = Preflight(0, null) with { RequestHeaders = [new("Origin", Page), new("Access-Control-Request-Method", "PUT"), new("Access-Control-Request-Headers", "x-other")] };

        var prediction = Prediction.Replay(Put, [preflight, Actual(1)], new PreflightCache());

        Assert.Equal(["the preflight's Access-Control-Request-Headers: the model predicts 'x-token', the browser sent 'x-other'"], prediction.Disagreements);
    }

    private static RecordedExchange Preflight(int sequence, string? maxAge)
    {
        List<HeaderField> response = [new("Access-Control-Allow-Origin", Page), new("Access-Control-Allow-Methods", "PUT"), new("Access-Control-Allow-Headers", "x-token")];
        if (maxAge is not null)
        {
            response.Add(new("Access-Control-Max-Age", maxAge));
        }

        return new RecordedExchange(sequence, Start.AddSeconds(sequence), "OPTIONS", Url, [new("Origin", Page), new("Access-Control-Request-Method", "PUT"), new("Access-Control-Request-Headers", "x-token")], 204, response);
    }

    private static RecordedExchange Actual(int sequence, int? seconds = null) =>
        new(sequence, Start.AddSeconds(seconds ?? sequence), "PUT", Url, [new("Origin", Page), new("X-Token", "t")], 200, [new("Access-Control-Allow-Origin", Page), new("Content-Type", "application/json")]);
}

using CorsKit.Demo.Playground;

namespace CorsKit.RealBrowsers.Tests.Matrix;

/// <summary>Everything one scenario produced: what script got, what the console said, what the wire carried, what the model predicts.</summary>
/// <param name="Scenario">The scenario.</param>
/// <param name="Url">The URL requested.</param>
/// <param name="Origin">The page's serialized origin.</param>
/// <param name="Results">What script got, per request.</param>
/// <param name="Console">Chromium's CORS console lines (blocked, refused header), per request.</param>
/// <param name="Exchanges">What the server received and answered, in order.</param>
/// <param name="Predictions">The browser model over those exchanges, per request.</param>
public sealed record ScenarioRun(
    Scenario Scenario,
    string Url,
    string Origin,
    IReadOnlyList<BrowserResult> Results,
    IReadOnlyList<IReadOnlyList<string>> Console,
    IReadOnlyList<RecordedExchange> Exchanges,
    IReadOnlyList<Prediction> Predictions);

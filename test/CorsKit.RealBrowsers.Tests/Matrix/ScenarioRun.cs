using CorsKit.Demo.Playground;
using CorsKit.RealBrowsers.Tests.Infrastructure;

namespace CorsKit.RealBrowsers.Tests.Matrix;

/// <summary>Everything one scenario produced in one engine: what script got, what the console said, what the wire carried, what the model predicts.</summary>
/// <param name="Engine">The engine that ran it.</param>
/// <param name="Scenario">The scenario.</param>
/// <param name="Url">The URL requested.</param>
/// <param name="Origin">The page's serialized origin.</param>
/// <param name="Results">What script got, per request (empty when the page reported nothing).</param>
/// <param name="Console">The engine's CORS console lines, per request.</param>
/// <param name="Exchanges">What the server received and answered, in order.</param>
/// <param name="Predictions">The browser model over those exchanges, per request, with the engine's preflight cache.</param>
public sealed record ScenarioRun(
    BrowserEngine Engine,
    Scenario Scenario,
    string Url,
    string Origin,
    IReadOnlyList<BrowserResult> Results,
    IReadOnlyList<IReadOnlyList<string>> Console,
    IReadOnlyList<RecordedExchange> Exchanges,
    IReadOnlyList<Prediction> Predictions);

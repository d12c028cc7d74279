using CorsKit.Browser;

namespace CorsKit.Demo.Playground;

/// <summary>One request of a (possibly redirected) fetch: what the model predicts for it, and the exchanges it used.</summary>
/// <param name="Request">The request as the browser makes it at this hop.</param>
/// <param name="Verdict">The model's verdict for this hop.</param>
/// <param name="PreflightFromCache">Whether the model predicts that a cached preflight covers this hop (so none is sent).</param>
/// <param name="Preflight">The preflight exchange the browser sent, if any.</param>
/// <param name="Actual">The request's own exchange, if the browser sent it.</param>
public sealed record PredictedHop(
    BrowserRequest Request,
    BrowserVerdict Verdict,
    bool PreflightFromCache,
    RecordedExchange? Preflight,
    RecordedExchange? Actual);

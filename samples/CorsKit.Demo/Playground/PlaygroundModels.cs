namespace CorsKit.Demo.Playground;

/// <summary>A header line as the playground's JSON carries it.</summary>
/// <param name="Name">The name.</param>
/// <param name="Value">The value.</param>
public sealed record PlaygroundHeader(string Name, string Value);

/// <summary>What the page asks the playground to explain: the request its script just made.</summary>
/// <param name="Run">The run id the request carried in <c>?corskit-run=</c>.</param>
/// <param name="Url">The absolute URL requested.</param>
/// <param name="Origin">The page's origin.</param>
/// <param name="Method">The method as the script wrote it.</param>
/// <param name="Headers">The headers the script set.</param>
/// <param name="Credentials"><c>omit</c>, <c>same-origin</c> or <c>include</c>.</param>
/// <param name="Initiator"><c>fetch</c> or <c>xhr</c>.</param>
public sealed record ExplainRequest(
    string Run,
    string Url,
    string Origin,
    string Method,
    IReadOnlyList<PlaygroundHeader>? Headers,
    string? Credentials,
    string? Initiator);

/// <summary>The model's verdict on one hop of the request.</summary>
/// <param name="Method">The method sent.</param>
/// <param name="Url">The URL of this hop.</param>
/// <param name="Origin">The <c>Origin</c> sent (<c>null</c> after a cross-origin redirect).</param>
/// <param name="Preflight"><c>sent</c>, <c>cached</c> or <c>none</c>.</param>
/// <param name="PreflightReasons">Why a preflight is needed.</param>
/// <param name="Outcome"><c>Allowed</c>, <c>Blocked</c> or <c>Redirected</c>.</param>
/// <param name="Failure">The failing check, or <c>None</c>.</param>
/// <param name="ChromiumCacheSeconds">How long Chromium caches the preflight, when one passed.</param>
/// <param name="WebKitCacheSeconds">How long WebKit (Safari) caches the preflight, when one passed (at most 600 s).</param>
public sealed record HopView(string Method, string Url, string Origin, string Preflight, IReadOnlyList<string> PreflightReasons, string Outcome, string Failure, double? ChromiumCacheSeconds, double? WebKitCacheSeconds);

/// <summary>What CorsKit's browser model predicts for the whole request.</summary>
/// <param name="Allowed">Whether script gets the response.</param>
/// <param name="Outcome">The last hop's outcome.</param>
/// <param name="Failure">The failing check, or <c>None</c>.</param>
/// <param name="ChromiumMessage">Chromium's console message when blocked.</param>
/// <param name="FirefoxMessage">Firefox's console message when it blocks.</param>
/// <param name="WebKitConsole">Every line WebKit's (Safari's) console shows: an XHR's refused forbidden headers, then, when it blocks, the reason and the line naming the URL.</param>
/// <param name="ChromiumConsole">Every console line Chromium writes for it.</param>
/// <param name="ReadableHeaders">The response headers script can read.</param>
/// <param name="Warnings">What a developer should know though the browser may not say it.</param>
/// <param name="Hops">Each request of the chain.</param>
/// <param name="Fix">What the server must change when the request is blocked, as <c>corskit check</c> prints it; otherwise <see langword="null"/>.</param>
public sealed record PredictionView(
    bool Allowed,
    string Outcome,
    string Failure,
    string? ChromiumMessage,
    string? FirefoxMessage,
    IReadOnlyList<string> WebKitConsole,
    IReadOnlyList<string> ChromiumConsole,
    IReadOnlyList<string> ReadableHeaders,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<HopView> Hops,
    FixView? Fix);

/// <summary>The fix for a blocked request (<see cref="CorsKit.Browser.Fixes.FixPlan"/>).</summary>
/// <param name="Summary">What is wrong on the server and what to change, in one sentence.</param>
/// <param name="Headers">The response headers the server must send, as <c>Name: value</c>.</param>
/// <param name="Notes">Advice no CORS setting covers.</param>
/// <param name="Snippets">The configuration to write, by framework name.</param>
public sealed record FixView(string Summary, IReadOnlyList<string> Headers, IReadOnlyList<string> Notes, IReadOnlyDictionary<string, string> Snippets);

/// <summary>One exchange as the server saw it.</summary>
/// <param name="Method">The method on the wire.</param>
/// <param name="Url">The URL.</param>
/// <param name="IsPreflight">Whether it is a CORS preflight.</param>
/// <param name="Status">The response status.</param>
/// <param name="RequestHeaders">The request's headers.</param>
/// <param name="ResponseHeaders">The response's headers.</param>
public sealed record ExchangeView(string Method, string Url, bool IsPreflight, int Status, IReadOnlyList<PlaygroundHeader> RequestHeaders, IReadOnlyList<PlaygroundHeader> ResponseHeaders);

/// <summary>The playground's answer: the prediction, where model and wire disagree, and the exchanges.</summary>
/// <param name="Prediction">The model's prediction, or <see langword="null"/> when it refused the request.</param>
/// <param name="Disagreements">Where the model's plan and what the browser sent differ.</param>
/// <param name="Exchanges">Every request the server received for the run, with its response.</param>
/// <param name="Error">Why there is no prediction.</param>
public sealed record ExplainResponse(PredictionView? Prediction, IReadOnlyList<string> Disagreements, IReadOnlyList<ExchangeView> Exchanges, string? Error);

/// <summary>A route of the API the page can call.</summary>
/// <param name="Path">The route pattern, such as <c>/api/items</c>.</param>
/// <param name="Methods">The methods it serves (empty: any).</param>
/// <param name="Policy">The CorsKit policy: a name, <c>inline</c>, <c>none</c> or <c>default</c>.</param>
public sealed record RouteView(string Path, IReadOnlyList<string> Methods, string Policy);

/// <summary>What the page needs to start: where the API is, and its routes.</summary>
/// <param name="Api">The API's base URL.</param>
/// <param name="Page">The page's origin.</param>
/// <param name="Routes">The API's routes.</param>
public sealed record PlaygroundConfig(string Api, string Page, IReadOnlyList<RouteView> Routes);

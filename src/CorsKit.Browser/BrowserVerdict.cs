namespace CorsKit.Browser;

/// <summary>What a browser does with a request and the server's answers: <see cref="BrowserModel.Evaluate"/>'s result.</summary>
public sealed class BrowserVerdict
{
    internal BrowserVerdict(BrowserOutcome outcome, PreflightPlan preflight, CorsCheckResult check)
    {
        Outcome = outcome;
        Preflight = preflight;
        Check = check;
    }

    /// <summary>Allowed, blocked, or following a redirect.</summary>
    public BrowserOutcome Outcome { get; }

    /// <summary>Whether the script gets the response.</summary>
    public bool IsAllowed => Outcome == BrowserOutcome.Allowed;

    /// <summary>Whether CORS applied at all (cross-origin, or an origin tainted by a redirect).</summary>
    public bool IsCrossOrigin => Preflight.IsCrossOrigin;

    /// <summary>The preflight plan: whether one was sent, why, and its headers.</summary>
    public PreflightPlan Preflight { get; }

    /// <summary>Whether the browser sent a preflight.</summary>
    public bool PreflightSent => Preflight.IsRequired;

    /// <summary>What the browser made of the preflight response, when one was sent.</summary>
    public PreflightCheckResult? PreflightResult { get; init; }

    /// <summary>The failing check (preflight or actual response), or a pass.</summary>
    public CorsCheckResult Check { get; }

    /// <summary>Chromium 156's console error, or <see langword="null"/> when it does not block.</summary>
    public string? ChromiumMessage { get; init; }

    /// <summary>Firefox's console error, or <see langword="null"/> when Firefox does not block (it can differ from Chromium's verdict).</summary>
    public string? FirefoxMessage => FirefoxConsole.Count == 0 ? null : FirefoxConsole[0];

    /// <summary>
    /// Every CORS error line Firefox's console shows about this request, in order: <see cref="FirefoxMessage"/>, then,
    /// when a failed preflight stopped the request, the <c>CORS request did not succeed</c> lines Firefox adds.
    /// </summary>
    public IReadOnlyList<string> FirefoxConsole { get; init; } = [];

    /// <summary>
    /// WebKit's (Safari's) first console line, the one that names the reason, or <see langword="null"/> when WebKit does not
    /// block (it can differ from Chromium's verdict). WebKit reads a missing, wrong or <c>null</c> <c>Access-Control-Allow-Origin</c> alike.
    /// </summary>
    public string? WebKitMessage { get; init; }

    /// <summary>
    /// Every line WebKit's console shows about this request, in order: <c>Refused to set unsafe header</c> lines (XHR),
    /// <see cref="WebKitMessage"/>, then <c>Fetch API cannot load &lt;url&gt; due to access control checks.</c>
    /// (<c>XMLHttpRequest cannot load ...</c> for XHR). Safari shows each line after <see cref="WebKitMessages.SafariPrefix"/>.
    /// </summary>
    public IReadOnlyList<string> WebKitConsole { get; init; } = [];

    /// <summary>
    /// Every line Chromium's console shows about this request, in order: <c>Refused to set unsafe header</c> lines (XHR),
    /// then <see cref="ChromiumMessage"/>. (Chromium adds a <c>net::ERR_FAILED</c> line of its own, not modelled.)
    /// </summary>
    public IReadOnlyList<string> ChromiumConsole { get; init; } = [];

    /// <summary>The response headers script can read, lower-cased and sorted; empty unless allowed.</summary>
    public IReadOnlyList<string> ReadableHeaders { get; init; } = [];

    /// <summary>How long each engine caches the preflight, when one was sent and passed.</summary>
    public PreflightCacheDurations? PreflightCache { get; init; }

    /// <summary>Things a developer should know though the browser may not say them: dropped forbidden headers, Authorization covered only by <c>*</c>, and the like.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>When <see cref="Outcome"/> is <see cref="BrowserOutcome.Redirected"/>: the request the browser makes next (new URL, maybe GET, maybe tainted origin).</summary>
    public BrowserRequest? NextRequest { get; init; }
}

using CorsKit.Browser;

namespace CorsKit.Cli.Explain;

/// <summary>What a pasted browser console message says: which check failed, on which URL and origin, with which value.</summary>
/// <param name="Browser">Chromium, Firefox or WebKit.</param>
/// <param name="Failure">The failed check (<see cref="CorsFailure.None"/> for a network error).</param>
/// <param name="OnPreflight">Whether the preflight failed (for WebKit, only when its words say so).</param>
/// <param name="Url">The URL requested, when a line names it.</param>
/// <param name="Origin">The page's origin, when a line names it.</param>
/// <param name="Value">The value the message quotes (a header name, a method, the wrong origin).</param>
/// <param name="NetworkError">The request got no response at all (Firefox's <c>CORS request did not succeed</c>).</param>
internal sealed record ParsedMessage(string Browser, CorsFailure Failure, bool OnPreflight, string? Url, string? Origin, string? Value, bool NetworkError = false)
{
    /// <summary>The HTTP status a line reports (<c>Status code: 500</c>, <c>net::ERR_FAILED 500</c>), or <see langword="null"/>.</summary>
    public int? Status { get; init; }

    /// <summary>The request's method, from the console's own line for it (<c>PUT https://... net::ERR_FAILED</c>), or <see langword="null"/>.</summary>
    public string? Method { get; init; }

    /// <summary>Failures the message cannot tell apart from <see cref="Failure"/> (WebKit reads several alike); empty when it can.</summary>
    public IReadOnlyList<CorsFailure> ReadsAlike { get; init; } = [];

    /// <summary>Whether the browser's words leave open if the preflight or the request failed (WebKit's).</summary>
    public bool PreflightUnknown { get; init; }

    /// <summary>Whether the paste had Chromium's old tip to use <c>mode: 'no-cors'</c>.</summary>
    public bool OpaqueTip { get; init; }
}

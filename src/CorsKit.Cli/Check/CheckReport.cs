using CorsKit.Browser;
using CorsKit.Browser.Fixes;
using CorsKit.Cli.Http;

namespace CorsKit.Cli.Check;

/// <summary>The outcome of <c>corskit check</c>: every exchange, the browser's verdict, and the fix.</summary>
internal sealed record CheckReport
{
    public required string Url { get; init; }

    public required string Origin { get; init; }

    public required string Method { get; init; }

    public required CredentialsMode Credentials { get; init; }

    public required bool Allowed { get; init; }

    public required bool PreflightSent { get; init; }

    public required IReadOnlyList<string> PreflightReasons { get; init; }

    public required IReadOnlyList<HttpExchange> Exchanges { get; init; }

    /// <summary>The failing check (a <see cref="CorsFailure"/> name), or <see langword="null"/> when allowed.</summary>
    public string? FailedCheck { get; init; }

    /// <summary>Whether the failing check was on the preflight response.</summary>
    public bool FailedOnPreflight { get; init; }

    public string? ChromiumMessage { get; init; }

    public string? FirefoxMessage => FirefoxConsole.Count == 0 ? null : FirefoxConsole[0];

    /// <summary>Every CORS error line Firefox's console shows, <see cref="FirefoxMessage"/> first.</summary>
    public IReadOnlyList<string> FirefoxConsole { get; init; } = [];

    public string? WebKitMessage { get; init; }

    /// <summary>Every CORS line WebKit's (Safari's) console shows, <see cref="WebKitMessage"/> first.</summary>
    public IReadOnlyList<string> WebKitConsole { get; init; } = [];

    public IReadOnlyList<string> ExposedHeaders { get; init; } = [];

    public PreflightCacheDurations? PreflightCache { get; init; }

    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>The last response when its status is 4xx or 5xx, allowed by CORS or not: the real failure to fix.</summary>
    public HttpExchange? ServerError { get; init; }

    public FixPlan? Fix { get; init; }
}

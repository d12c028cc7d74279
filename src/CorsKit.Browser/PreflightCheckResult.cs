namespace CorsKit.Browser;

/// <summary>What a browser made of a preflight response.</summary>
public sealed class PreflightCheckResult
{
    internal PreflightCheckResult(CorsCheckResult result)
    {
        Result = result;
    }

    /// <summary>The first failure in Chromium's order, or a pass.</summary>
    public CorsCheckResult Result { get; }

    /// <summary>Whether the preflight let the request through.</summary>
    public bool Passed => Result.Passed;

    /// <summary>The parsed <c>Access-Control-Allow-Methods</c>, as sent (methods compare case-sensitively). Empty when absent or unparsable.</summary>
    public IReadOnlyList<string> AllowedMethods { get; init; } = [];

    /// <summary>The parsed <c>Access-Control-Allow-Headers</c>, lower-cased (names compare case-insensitively). Empty when absent or unparsable.</summary>
    public IReadOnlyList<string> AllowedHeaders { get; init; } = [];

    /// <summary>
    /// Every CORS-unsafe request header the preflight does not allow, sorted. Chromium names only one of them, in an order
    /// of its own (a hash order, not the sorted one): compare its message only when this has a single name.
    /// </summary>
    public IReadOnlyList<string> DisallowedHeaders { get; init; } = [];

    /// <summary>
    /// Whether <c>Authorization</c> passed only because <c>Access-Control-Allow-Headers</c> has <c>*</c>. Chromium 156 and
    /// Firefox let it through (with a deprecation warning); the Fetch standard, and future browsers, refuse it.
    /// </summary>
    public bool AuthorizationCoveredByWildcard { get; init; }

    /// <summary>The <c>Access-Control-Max-Age</c> value, or <see langword="null"/> when absent.</summary>
    public string? MaxAge { get; init; }
}

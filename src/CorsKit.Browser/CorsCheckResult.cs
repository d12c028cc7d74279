namespace CorsKit.Browser;

/// <summary>The outcome of a CORS check or a preflight check: the first failure in the browser's order, and the value it names.</summary>
/// <param name="Failure">The failure, or <see cref="CorsFailure.None"/>.</param>
/// <param name="Value">The offending value the browser quotes (the header value, method or header name), or <see langword="null"/>.</param>
/// <param name="OnPreflight">Whether the failure was found on the preflight response rather than the actual response (or a redirect hop).</param>
public sealed record CorsCheckResult(CorsFailure Failure, string? Value = null, bool OnPreflight = false)
{
    /// <summary>A check that passed.</summary>
    public static CorsCheckResult Pass { get; } = new(CorsFailure.None);

    /// <summary>Whether the check passed.</summary>
    public bool Passed => Failure == CorsFailure.None;
}

namespace CorsKit.Browser;

/// <summary>How long each engine caches a successful preflight (see <see cref="PreflightCacheDuration"/>); zero means not cached.</summary>
/// <param name="Chromium">Chromium's duration (at most 2 hours).</param>
/// <param name="Firefox">Firefox's duration (at most 24 hours).</param>
/// <param name="WebKit">WebKit's duration (at most 10 minutes).</param>
public sealed record PreflightCacheDurations(TimeSpan Chromium, TimeSpan Firefox, TimeSpan WebKit)
{
    /// <summary>The durations for an <c>Access-Control-Max-Age</c> value.</summary>
    /// <param name="maxAge">The value, or <see langword="null"/> when absent.</param>
    public static PreflightCacheDurations For(string? maxAge) =>
        new(PreflightCacheDuration.Chromium(maxAge), PreflightCacheDuration.Firefox(maxAge), PreflightCacheDuration.WebKit(maxAge));
}

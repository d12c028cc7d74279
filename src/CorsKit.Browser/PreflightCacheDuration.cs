using System.Globalization;

namespace CorsKit.Browser;

/// <summary>
/// How long each engine caches a successful preflight, from its <c>Access-Control-Max-Age</c> value
/// (Fetch, section 3.2.3, leaves the cap to the user agent). <see cref="TimeSpan.Zero"/> means not cached.
/// </summary>
public static class PreflightCacheDuration
{
    /// <summary>The duration every engine uses when <c>Access-Control-Max-Age</c> is absent: 5 seconds.</summary>
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(5);

    /// <summary>Chromium's cap: 2 hours.</summary>
    public static readonly TimeSpan ChromiumMax = TimeSpan.FromHours(2);

    /// <summary>Firefox's cap: 24 hours.</summary>
    public static readonly TimeSpan FirefoxMax = TimeSpan.FromHours(24);

    /// <summary>WebKit's cap: 10 minutes.</summary>
    public static readonly TimeSpan WebKitMax = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Chromium (<c>preflight_result.cc</c>): a 64-bit integer with an optional sign; absent or unparsable (including
    /// overflow) gives 5 s; negative gives 0; capped at 7200 s.
    /// </summary>
    /// <param name="maxAge">The <c>Access-Control-Max-Age</c> value, or <see langword="null"/> when absent.</param>
    public static TimeSpan Chromium(string? maxAge)
    {
        if (maxAge is null || !long.TryParse(maxAge, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds))
        {
            return Default;
        }

        return seconds < 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(Math.Min(seconds, (long)ChromiumMax.TotalSeconds));
    }

    /// <summary>
    /// Firefox (<c>nsCORSListenerProxy.cpp</c>): absent or empty gives 5 s; only digits are accepted, anything else
    /// (a sign, a space, a dot) and 0 are not cached; capped at 86400 s.
    /// </summary>
    /// <param name="maxAge">The <c>Access-Control-Max-Age</c> value, or <see langword="null"/> when absent.</param>
    public static TimeSpan Firefox(string? maxAge)
    {
        if (string.IsNullOrEmpty(maxAge))
        {
            return Default;
        }

        long seconds = 0;
        foreach (var c in maxAge)
        {
            if (!char.IsAsciiDigit(c))
            {
                return TimeSpan.Zero;
            }

            seconds = Math.Min((seconds * 10) + (c - '0'), (long)FirefoxMax.TotalSeconds);
        }

        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>
    /// WebKit (<c>CrossOriginPreflightResultCache.cpp</c>): a signed 64-bit integer, with whitespace around it and an
    /// optional sign; absent or unparsable (including overflow) gives 5 s; negative and 0 are not cached (the entry has
    /// already expired when the next request looks it up); capped at 600 s. Checked against WebKitGTK 2.50 for -5.
    /// </summary>
    /// <param name="maxAge">The <c>Access-Control-Max-Age</c> value, or <see langword="null"/> when absent.</param>
    public static TimeSpan WebKit(string? maxAge)
    {
        if (maxAge is null || !long.TryParse(maxAge, NumberStyles.AllowLeadingSign | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite, CultureInfo.InvariantCulture, out var seconds))
        {
            return Default;
        }

        return seconds <= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(Math.Min(seconds, (long)WebKitMax.TotalSeconds));
    }
}

using System.Collections.Frozen;
using CorsKit.Http;

namespace CorsKit.Browser;

/// <summary>
/// Which response headers a script can read from a cross-origin response (Fetch, sections 2.2.2
/// "CORS-safelisted response-header name" and 2.2.6 "CORS filtered response").
/// </summary>
public static class Exposure
{
    private static readonly FrozenSet<string> SafelistedNames = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "cache-control", "content-language", "content-length", "content-type", "expires", "last-modified", "pragma");

    /// <summary>Whether script can always read <paramref name="name"/>: Cache-Control, Content-Language, Content-Length, Content-Type, Expires, Last-Modified, Pragma.</summary>
    /// <param name="name">A header name, in any case.</param>
    public static bool IsSafelistedResponseHeaderName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return SafelistedNames.Contains(name);
    }

    /// <summary>Whether <paramref name="name"/> is a forbidden response-header name (Set-Cookie, Set-Cookie2), which script never reads.</summary>
    /// <param name="name">A header name, in any case.</param>
    public static bool IsForbiddenResponseHeaderName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Equals("set-cookie", StringComparison.OrdinalIgnoreCase) || name.Equals("set-cookie2", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The names, lower-cased and sorted, of the headers of <paramref name="headers"/> that <c>response.headers</c> (or
    /// <c>getAllResponseHeaders()</c>) shows: the safelisted ones, plus those listed in <c>Access-Control-Expose-Headers</c>,
    /// or all of them when it lists <c>*</c> and the credentials mode is not <c>include</c>; never Set-Cookie or Set-Cookie2.
    /// </summary>
    /// <param name="headers">The actual response's header lines.</param>
    /// <param name="credentials">The request's credentials mode.</param>
    public static IReadOnlyList<string> ReadableHeaderNames(ResponseHeaders headers, CredentialsMode credentials)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var exposed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in (headers.Get(CorsHeaderNames.AccessControlExposeHeaders) ?? string.Empty).Split(','))
        {
            var name = HttpSyntax.TrimOws(part);
            if (!name.IsEmpty)
            {
                exposed.Add(name.ToString());
            }
        }

        var all = credentials != CredentialsMode.Include && exposed.Contains("*");
        return [.. headers.Names
            .Where(name => !IsForbiddenResponseHeaderName(name) && (all || IsSafelistedResponseHeaderName(name) || exposed.Contains(name)))
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>The names, lower-cased and sorted, of the headers a same-origin script reads: all but Set-Cookie and Set-Cookie2.</summary>
    /// <param name="headers">The response's header lines.</param>
    public static IReadOnlyList<string> SameOriginReadableHeaderNames(ResponseHeaders headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        return [.. headers.Names.Where(name => !IsForbiddenResponseHeaderName(name)).Order(StringComparer.Ordinal)];
    }
}

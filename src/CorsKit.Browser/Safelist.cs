using System.Collections.Frozen;
using CorsKit.Evaluation;

namespace CorsKit.Browser;

/// <summary>
/// What a browser lets through without a preflight, and what it never lets a script send
/// (Fetch, sections 2.2.1 "Methods" and 2.2.2 "Headers").
/// </summary>
public static class Safelist
{
    /// <summary>The longest value, in bytes, a CORS-safelisted request header may have.</summary>
    public const int MaxSafelistedValueLength = 128;

    /// <summary>The most bytes the values of all CORS-safelisted request headers may add up to before they all count as unsafe.</summary>
    public const int MaxSafelistedValuesTotal = 1024;

    private static readonly FrozenSet<string> NormalizedMethods =
        FrozenSet.Create(StringComparer.OrdinalIgnoreCase, "DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT");

    private static readonly FrozenSet<string> ForbiddenMethods =
        FrozenSet.Create(StringComparer.OrdinalIgnoreCase, "CONNECT", "TRACE", "TRACK");

    private static readonly FrozenSet<string> ForbiddenNames = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "accept-charset", "accept-encoding", "access-control-request-headers", "access-control-request-method",
        "connection", "content-length", "cookie", "cookie2", "date", "dnt", "expect", "host", "keep-alive", "origin",
        "referer", "set-cookie", "te", "trailer", "transfer-encoding", "upgrade", "via");

    private static readonly FrozenSet<string> MethodOverrideNames =
        FrozenSet.Create(StringComparer.OrdinalIgnoreCase, "x-http-method", "x-http-method-override", "x-method-override");

    /// <summary>Whether <paramref name="method"/> is CORS-safelisted: exactly <c>GET</c>, <c>HEAD</c> or <c>POST</c> (case-sensitive).</summary>
    /// <param name="method">The method, after <see cref="NormalizeMethod"/>.</param>
    public static bool IsCorsSafelistedMethod(string method)
    {
        ArgumentNullException.ThrowIfNull(method);
        return CorsEvaluator.IsSafelistedMethod(method);
    }

    /// <summary>
    /// Normalizes a method as <c>fetch()</c> and <c>XMLHttpRequest.open()</c> do (Fetch, section 2.2.1 "normalize"):
    /// only DELETE, GET, HEAD, OPTIONS, POST and PUT are upper-cased, so <c>patch</c> stays <c>patch</c> and then needs
    /// <c>Access-Control-Allow-Methods: patch</c>, not <c>PATCH</c>.
    /// </summary>
    /// <param name="method">The method as the script wrote it.</param>
    public static string NormalizeMethod(string method)
    {
        ArgumentNullException.ThrowIfNull(method);
        return NormalizedMethods.Contains(method) ? method.ToUpperInvariant() : method;
    }

    /// <summary>Whether <paramref name="method"/> is forbidden (CONNECT, TRACE, TRACK, any case): <c>fetch()</c> throws a TypeError for it.</summary>
    /// <param name="method">The method.</param>
    public static bool IsForbiddenMethod(string method)
    {
        ArgumentNullException.ThrowIfNull(method);
        return ForbiddenMethods.Contains(method);
    }

    /// <summary>
    /// Whether <paramref name="name"/> is a forbidden request-header name whatever its value: Accept-Charset, Accept-Encoding,
    /// Access-Control-Request-*, Connection, Content-Length, Cookie, Cookie2, Date, DNT, Expect, Host, Keep-Alive, Origin,
    /// Referer, Set-Cookie, TE, Trailer, Transfer-Encoding, Upgrade, Via, and any <c>Proxy-*</c> or <c>Sec-*</c>.
    /// </summary>
    /// <param name="name">The header name, in any case.</param>
    public static bool IsForbiddenRequestHeaderName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return ForbiddenNames.Contains(name)
            || name.StartsWith("proxy-", StringComparison.OrdinalIgnoreCase)
            || name.StartsWith("sec-", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Whether a script's header is forbidden (Fetch, section 2.2.2 "forbidden request-header"): a browser drops it without
    /// a word (<c>fetch()</c>) or with <c>Refused to set unsafe header</c> (XHR). Besides the names of
    /// <see cref="IsForbiddenRequestHeaderName"/>, <c>X-HTTP-Method</c>, <c>X-HTTP-Method-Override</c> and
    /// <c>X-Method-Override</c> are forbidden when any of their comma-separated values is a forbidden method.
    /// </summary>
    /// <param name="name">The header name, in any case.</param>
    /// <param name="value">The header value.</param>
    public static bool IsForbiddenRequestHeader(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        if (IsForbiddenRequestHeaderName(name))
        {
            return true;
        }

        return MethodOverrideNames.Contains(name)
            && value.Split(',').Any(method => ForbiddenMethods.Contains(method.Trim(' ', '\t')));
    }

    /// <summary>
    /// Whether a byte may not appear in the value of a CORS-safelisted request header (Fetch, section 2.2.2
    /// "CORS-unsafe request-header byte"): below 0x20 except tab, <c>" ( ) : &lt; &gt; ? @ [ \ ] { }</c> and 0x7F.
    /// </summary>
    /// <param name="c">A byte of the value (as a char).</param>
    public static bool IsCorsUnsafeRequestHeaderByte(char c) =>
        (c < 0x20 && c != '\t') || c is '"' or '(' or ')' or ':' or '<' or '>' or '?' or '@' or '[' or '\\' or ']' or '{' or '}' or (char)0x7F;

    /// <summary>
    /// Whether a header is CORS-safelisted on its own (Fetch, section 2.2.2 "CORS-safelisted request-header"): a value of at
    /// most 128 bytes and an <c>Accept</c> with no unsafe byte; an <c>Accept-Language</c> or <c>Content-Language</c> of only
    /// <c>0-9 A-Z a-z</c>, space and <c>* , - . ; =</c>; a <c>Content-Type</c> with no unsafe byte whose MIME type parses with
    /// essence <c>application/x-www-form-urlencoded</c>, <c>multipart/form-data</c> or <c>text/plain</c>; or a <c>Range</c>
    /// of exactly <c>bytes=N-</c> or <c>bytes=N-M</c> with N &lt;= M. The 1024-byte total is checked by
    /// <see cref="CorsUnsafeRequestHeaderNames"/>.
    /// Chromium (<c>services/network/public/cpp/cors/cors.cc</c>) also safelists client hints, checked against Chromium 156:
    /// <c>DPR</c>, <c>Device-Memory</c> and <c>Downlink</c> as numbers (<c>1*DIGIT ["." 1*DIGIT]</c>), <c>Width</c>,
    /// <c>Viewport-Width</c> and <c>RTT</c> as integers, <c>Save-Data: on</c>, <c>ECT</c> as a connection type
    /// (<c>slow-2g</c>, <c>2g</c>, <c>3g</c>, <c>4g</c>) and <c>Intervention</c> with any value.
    /// </summary>
    /// <param name="name">The header name, in any case.</param>
    /// <param name="value">The value, already stripped of leading and trailing whitespace (as <c>Headers</c> does).</param>
    public static bool IsCorsSafelistedRequestHeader(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length > MaxSafelistedValueLength)
        {
            return false;
        }

        return name.ToLowerInvariant() switch
        {
            "accept" => !value.Any(IsCorsUnsafeRequestHeaderByte),
            "accept-language" or "content-language" => value.All(IsLanguageChar),
            "content-type" => !value.Any(IsCorsUnsafeRequestHeaderByte)
                && MimeType.TryParseEssence(value, out var essence)
                && essence is "application/x-www-form-urlencoded" or "multipart/form-data" or "text/plain",
            "range" => IsSimpleRangeHeaderValue(value),
            "dpr" or "device-memory" or "downlink" => IsDecimalNumber(value),
            "width" or "viewport-width" or "rtt" => value.Length > 0 && !value.AsSpan().ContainsAnyExceptInRange('0', '9'),
            "save-data" => value.Equals("on", StringComparison.OrdinalIgnoreCase),
            "ect" => value is "slow-2g" or "2g" or "3g" or "4g",
            "intervention" => true,
            _ => false,
        };
    }

    /// <summary>
    /// The CORS-unsafe request-header names of a header list (Fetch, section 2.2.2): the names that are not CORS-safelisted,
    /// plus every safelisted one when the safelisted values add up to more than 1024 bytes; forbidden headers skipped (the
    /// browser adds those itself); lower-cased, de-duplicated and sorted, exactly as the browser sends them in
    /// <c>Access-Control-Request-Headers</c> (joined by <c>,</c>). Each entry is judged on its own value: pass the list as the
    /// browser holds it (Chromium first joins same-name values with <c>", "</c>, as <see cref="PreflightPlan"/> does).
    /// </summary>
    /// <param name="headers">The request's header list.</param>
    public static IReadOnlyList<string> CorsUnsafeRequestHeaderNames(IEnumerable<HeaderField> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var unsafeNames = new SortedSet<string>(StringComparer.Ordinal);
        var safelisted = new List<string>();
        var total = 0;
        foreach (var header in headers)
        {
            if (IsForbiddenRequestHeader(header.Name, header.Value))
            {
                continue;
            }

            var name = header.Name.ToLowerInvariant();
            if (IsCorsSafelistedRequestHeader(name, header.Value))
            {
                safelisted.Add(name);
                total += header.Value.Length;
            }
            else
            {
                unsafeNames.Add(name);
            }
        }

        if (total > MaxSafelistedValuesTotal)
        {
            unsafeNames.UnionWith(safelisted);
        }

        return [.. unsafeNames];
    }

    // Fetch, section 2.2.2 "simple range header value": "bytes=" then a start, '-', an optional end; no whitespace, one range.
    private static bool IsSimpleRangeHeaderValue(string value)
    {
        if (!value.StartsWith("bytes=", StringComparison.Ordinal))
        {
            return false;
        }

        var range = value.AsSpan(6);
        var dash = range.IndexOf('-');
        if (dash <= 0)
        {
            return false; // No start: a suffix range such as bytes=-200 is not safelisted.
        }

        var start = range[..dash];
        var end = range[(dash + 1)..];
        if (start.ContainsAnyExceptInRange('0', '9') || end.ContainsAnyExceptInRange('0', '9'))
        {
            return false;
        }

        return end.IsEmpty || CompareDecimal(start, end) <= 0;
    }

    // Compares two runs of ASCII digits by value, whatever their length.
    private static int CompareDecimal(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        a = a.TrimStart('0');
        b = b.TrimStart('0');
        return a.Length != b.Length ? a.Length.CompareTo(b.Length) : a.SequenceCompareTo(b);
    }

    // Chromium's IsSimilarToDoubleABNF: 1*DIGIT ["." 1*DIGIT].
    private static bool IsDecimalNumber(string value)
    {
        var dot = value.IndexOf('.', StringComparison.Ordinal);
        var whole = dot < 0 ? value.AsSpan() : value.AsSpan(0, dot);
        var fraction = dot < 0 ? "1".AsSpan() : value.AsSpan(dot + 1);
        return !whole.IsEmpty && !fraction.IsEmpty
            && !whole.ContainsAnyExceptInRange('0', '9') && !fraction.ContainsAnyExceptInRange('0', '9');
    }

    private static bool IsLanguageChar(char c) => char.IsAsciiLetterOrDigit(c) || c is ' ' or '*' or ',' or '-' or '.' or ';' or '=';
}

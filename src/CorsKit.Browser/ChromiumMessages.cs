namespace CorsKit.Browser;

/// <summary>
/// The console messages of Chromium 156 for blocked requests, word for word
/// (<c>third_party/blink/renderer/platform/loader/cors/cors_error_string.cc</c>), checked against Debian's Chromium 156.
/// </summary>
public static class ChromiumMessages
{
    /// <summary>Added after a preflight's CORS-check, status or redirect failure (not after list, method or header failures).</summary>
    public const string PreflightPrefix = "Response to preflight request doesn't pass access control check: ";

    /// <summary>Chromium 156's tip after the multiple, invalid and differing <c>Access-Control-Allow-Origin</c> reasons, for <c>fetch()</c> only.</summary>
    public const string ValidValueTip = " Have the server send the header with a valid value.";

    /// <summary>Chromium's tip after the wildcard and credentials reasons, for XHR only.</summary>
    public const string WithCredentialsTip = " The credentials mode of requests initiated by the XMLHttpRequest is controlled by the withCredentials attribute.";

    /// <summary>
    /// The whole message for a failure, such as <c>Access to fetch at 'https://api.example.com/items' from origin
    /// 'https://app.example.com' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the
    /// requested resource.</c>
    /// </summary>
    /// <param name="failure">The failure (not a pass).</param>
    /// <param name="url">The URL that failed (after redirects, the last one).</param>
    /// <param name="origin">The page's origin (Chromium prints it even when a redirect tainted the sent <c>Origin</c> to <c>null</c>).</param>
    /// <param name="initiator">The API that made the request.</param>
    /// <param name="redirectedFrom">The URL first requested, when the request was redirected; otherwise <see langword="null"/>.</param>
    public static string Blocked(CorsCheckResult failure, string url, string origin, RequestInitiator initiator, string? redirectedFrom = null)
    {
        ArgumentNullException.ThrowIfNull(failure);
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(origin);
        var kind = initiator == RequestInitiator.XmlHttpRequest ? "XMLHttpRequest" : "fetch";
        var redirect = redirectedFrom is not null && redirectedFrom != url ? $"(redirected from '{redirectedFrom}') " : string.Empty;
        return $"Access to {kind} at '{url}' {redirect}from origin '{origin}' has been blocked by CORS policy: {Reason(failure, initiator)}";
    }

    /// <summary>The text after <c>has been blocked by CORS policy: </c>, with <see cref="PreflightPrefix"/> where Chromium puts it.</summary>
    /// <param name="failure">The failure (not a pass).</param>
    /// <param name="initiator">The API that made the request.</param>
    public static string Reason(CorsCheckResult failure, RequestInitiator initiator)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var fetchTip = initiator == RequestInitiator.Fetch ? ValidValueTip : string.Empty;
        var xhrTip = initiator == RequestInitiator.XmlHttpRequest ? WithCredentialsTip : string.Empty;
        var value = failure.Value ?? string.Empty;
        var text = failure.Failure switch
        {
            CorsFailure.MissingAllowOrigin => "No 'Access-Control-Allow-Origin' header is present on the requested resource.",
            CorsFailure.MultipleAllowOriginValues => $"The 'Access-Control-Allow-Origin' header contains multiple values '{value}', but only one is allowed.{fetchTip}",
            CorsFailure.InvalidAllowOrigin => $"The 'Access-Control-Allow-Origin' header contains the invalid value '{value}'.{fetchTip}",
            CorsFailure.AllowOriginMismatch => $"The 'Access-Control-Allow-Origin' header has a value '{value}' that is not equal to the supplied origin.{fetchTip}",
            CorsFailure.WildcardOriginWithCredentials => $"The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.{xhrTip}",
            CorsFailure.InvalidAllowCredentials => $"The value of the 'Access-Control-Allow-Credentials' header in the response is '{value}' which must be 'true' when the request's credentials mode is 'include'.{xhrTip}",
            CorsFailure.PreflightInvalidStatus => "It does not have HTTP ok status.",
            CorsFailure.PreflightRedirect => "Redirect is not allowed for a preflight request.",
            CorsFailure.InvalidAllowMethodsPreflightResponse => "Cannot parse Access-Control-Allow-Methods response header field in preflight response.",
            CorsFailure.InvalidAllowHeadersPreflightResponse => "Cannot parse Access-Control-Allow-Headers response header field in preflight response.",
            CorsFailure.MethodDisallowedByPreflightResponse => $"Method {value} is not allowed by Access-Control-Allow-Methods in preflight response.",
            CorsFailure.HeaderDisallowedByPreflightResponse => $"Request header field {value} is not allowed by Access-Control-Allow-Headers in preflight response.",
            _ => throw new ArgumentException($"{failure.Failure} is not a failure", nameof(failure)),
        };

        return HasPreflightPrefix(failure) ? PreflightPrefix + text : text;
    }

    /// <summary>What XHR's <c>setRequestHeader()</c> logs for a forbidden header, in Chromium and WebKit alike (<c>fetch()</c> drops it without a word).</summary>
    /// <param name="name">The header name as the script wrote it.</param>
    public static string RefusedToSetUnsafeHeader(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return $"Refused to set unsafe header \"{name}\"";
    }

    // Chromium's IsPreflightError: only the CORS check, status and redirect of a preflight get the preflight sentence.
    private static bool HasPreflightPrefix(CorsCheckResult failure) => failure.OnPreflight && failure.Failure is not (
        CorsFailure.InvalidAllowMethodsPreflightResponse or CorsFailure.InvalidAllowHeadersPreflightResponse
        or CorsFailure.MethodDisallowedByPreflightResponse or CorsFailure.HeaderDisallowedByPreflightResponse);
}

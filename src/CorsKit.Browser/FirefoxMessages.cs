using System.Globalization;
using CorsKit.Http;

namespace CorsKit.Browser;

/// <summary>
/// The console messages of Firefox for blocked requests (<c>dom/locales/en-US/chrome/security/security.properties</c>),
/// with the checks in Gecko's order (<c>netwerk/protocol/http/nsCORSListenerProxy.cpp</c>), which differs from Chromium's:
/// Firefox counts <c>Access-Control-Allow-Origin</c> lines, calls any other wrong value a mismatch, and checks the
/// method list before it parses the header list. Checked against Firefox 153 ESR by the browser matrix of <c>test/CorsKit.RealBrowsers.Tests</c>
/// (see <c>docs/browser-engines.md</c>).
/// </summary>
public static class FirefoxMessages
{
    /// <summary>The start of every Firefox CORS error, before the URL.</summary>
    public const string Prefix = "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ";

    /// <summary>
    /// What Firefox would print for <paramref name="request"/>, or <see langword="null"/> when Firefox lets it through
    /// (or the responses given do not reach a verdict).
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="preflight">The preflight response, when one is sent.</param>
    /// <param name="actual">The actual response, when the request got that far.</param>
    public static string? Predict(BrowserRequest request, BrowserResponse? preflight, BrowserResponse? actual)
    {
        var lines = PredictConsole(request, preflight, actual);
        return lines.Count == 0 ? null : lines[0];
    }

    /// <summary>
    /// Every <c>Cross-Origin Request Blocked</c> line Firefox's console shows for <paramref name="request"/>, in order:
    /// <see cref="Predict"/>'s message first, then the lines Firefox adds when a failed preflight stops the request
    /// (the request itself ends without a response: <c>CORS request did not succeed</c> with status <c>(null)</c>).
    /// A redirected preflight adds one more line: <c>CORS preflight response did not succeed</c> with the redirect's
    /// status when its CORS check passed, a second <c>CORS request did not succeed</c> when it failed. Empty when
    /// Firefox does not block.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="preflight">The preflight response, when one is sent.</param>
    /// <param name="actual">The actual response, when the request got that far.</param>
    public static IReadOnlyList<string> PredictConsole(BrowserRequest request, BrowserResponse? preflight, BrowserResponse? actual)
    {
        ArgumentNullException.ThrowIfNull(request);
        var plan = PreflightPlan.For(request);
        return Lines(plan, BrowserUrl.Serialize(request.Url), preflight, actual);
    }

    /// <summary><see cref="PredictConsole"/> for a plan already made, with the request URL already serialized.</summary>
    internal static IReadOnlyList<string> Lines(PreflightPlan plan, string url, BrowserResponse? preflight, BrowserResponse? actual)
    {
        if (!plan.IsCrossOrigin)
        {
            return [];
        }

        if (plan.IsRequired && preflight is not null)
        {
            var failure = PreflightFailure(plan, preflight, url);
            if (failure is not null)
            {
                var noResponse = $"{Blocked(url, "CORS request did not succeed")} Status code: (null).";
                if (!preflight.IsRedirect)
                {
                    return [failure, noResponse];
                }

                return CorsCheckFailure(preflight, plan.Origin, plan.Credentials, url) is null
                    ? [failure, WithStatus(Blocked(url, "CORS preflight response did not succeed"), preflight.Status), noResponse]
                    : [failure, noResponse, noResponse];
            }
        }

        var message = actual is null ? null : CorsCheckFailure(actual, plan.Origin, plan.Credentials, url);
        return message is null ? [] : [message];
    }

    /// <summary>The warning Firefox logs when <c>*</c> in <c>Access-Control-Allow-Headers</c> is all that lets <c>Authorization</c> through.</summary>
    /// <param name="url">The request URL (serialized).</param>
    public static string AuthorizationWildcardWarning(string url) =>
        $"Cross-Origin Request Warning: The Same Origin Policy will disallow reading the remote resource at {url} soon. (Reason: When the `Access-Control-Allow-Headers` is `*`, the `Authorization` header is not covered. To include the `Authorization` header, it must be explicitly listed in CORS header `Access-Control-Allow-Headers`).";

    private static string Blocked(string url, string reason) => $"{Prefix}{url}. (Reason: {reason}).";

    private static string WithStatus(string message, int status) => $"{message} Status code: {status.ToString(CultureInfo.InvariantCulture)}.";

    // nsCORSListenerProxy::CheckRequestApproved.
    private static string? CorsCheckFailure(BrowserResponse response, string origin, CredentialsMode credentials, string url)
    {
        var headers = response.Headers;
        var include = credentials == CredentialsMode.Include;
        if (headers.CountLines(CorsHeaderNames.AccessControlAllowOrigin) > 1)
        {
            return Blocked(url, "Multiple CORS header ‘Access-Control-Allow-Origin’ not allowed");
        }

        var allowOrigin = headers.Get(CorsHeaderNames.AccessControlAllowOrigin);
        if (allowOrigin is null)
        {
            return WithStatus(Blocked(url, "CORS header ‘Access-Control-Allow-Origin’ missing"), response.Status);
        }

        if (include && allowOrigin == "*")
        {
            return $"{Prefix}‘{url}’. (Reason: Credential is not supported if the CORS header ‘Access-Control-Allow-Origin’ is ‘*’).";
        }

        if ((include || allowOrigin != "*") && allowOrigin != origin)
        {
            return Blocked(url, $"CORS header ‘Access-Control-Allow-Origin’ does not match ‘{allowOrigin}’");
        }

        if (include && headers.Get(CorsHeaderNames.AccessControlAllowCredentials) != "true")
        {
            return Blocked(url, "expected ‘true’ in CORS header ‘Access-Control-Allow-Credentials’");
        }

        return null;
    }

    // The preflight runs through the same CORS check first, then nsCORSPreflightListener::CheckPreflightRequestApproved.
    private static string? PreflightFailure(PreflightPlan plan, BrowserResponse preflight, string url)
    {
        var cors = CorsCheckFailure(preflight, plan.Origin, plan.Credentials, url);
        if (cors is not null)
        {
            return cors;
        }

        if (preflight.IsRedirect)
        {
            return Blocked(url, "CORS request external redirect not allowed");
        }

        if (!preflight.IsOk)
        {
            return WithStatus(Blocked(url, "CORS preflight response did not succeed"), preflight.Status);
        }

        var wildcardAllowed = plan.Credentials != CredentialsMode.Include;
        var foundMethod = Safelist.IsCorsSafelistedMethod(plan.Method);
        foreach (var method in Tokens(preflight.Headers.Get(CorsHeaderNames.AccessControlAllowMethods)))
        {
            if (!HttpSyntax.IsToken(method))
            {
                return Blocked(url, $"invalid token ‘{method}’ in CORS header ‘Access-Control-Allow-Methods’");
            }

            foundMethod |= (method == "*" && wildcardAllowed) || method == plan.Method;
        }

        if (!foundMethod)
        {
            return Blocked(url, "Did not find method in CORS header ‘Access-Control-Allow-Methods’");
        }

        var wildcard = false;
        var listed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in Tokens(preflight.Headers.Get(CorsHeaderNames.AccessControlAllowHeaders)))
        {
            if (!HttpSyntax.IsToken(header))
            {
                return Blocked(url, $"invalid token ‘{header}’ in CORS header ‘Access-Control-Allow-Headers’");
            }

            if (header == "*" && wildcardAllowed)
            {
                wildcard = true;
            }
            else
            {
                listed.Add(header);
            }
        }

        // With "*", only Authorization still needs its name, and Firefox lets "*" cover it too (with a warning).
        var missing = plan.UnsafeHeaderNames.FirstOrDefault(name => !wildcard && !listed.Contains(name));
        return missing is null ? null : Blocked(url, $"header ‘{missing}’ is not allowed according to header ‘Access-Control-Allow-Headers’ from CORS preflight response");
    }

    // nsCCharSeparatedTokenizer: split on ',', trim whitespace, skip empty elements.
    private static IEnumerable<string> Tokens(string? value) =>
        (value ?? string.Empty).Split(',').Select(t => t.Trim(' ', '\t', '\r', '\n')).Where(t => t.Length > 0);
}

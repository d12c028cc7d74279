using System.Globalization;
using CorsKit.Http;

namespace CorsKit.Browser;

/// <summary>
/// The console lines of WebKit (the engine of Safari) for blocked requests, with the checks in WebKit's order
/// (<c>Source/WebCore/loader/CrossOriginAccessControl.cpp</c> and <c>CrossOriginPreflightResultCache.cpp</c>), which
/// differs from Chromium's: a failed preflight's status is checked before its <c>Access-Control-Allow-Origin</c>, a
/// missing, <c>null</c> or wrong <c>Access-Control-Allow-Origin</c> all read alike, and of several disallowed request
/// headers WebKit names one it knows by name first. Checked against WebKitGTK 2.50's MiniBrowser (see <c>docs/webkit.md</c>).
/// Safari's console shows the same lines after <see cref="SafariPrefix"/>.
/// </summary>
public static class WebKitMessages
{
    /// <summary>What Safari's console puts before each line: <c>[Error] </c>.</summary>
    public const string SafariPrefix = "[Error] ";

    /// <summary>The start of the reason line after a redirect failed the CORS check, before the redirect's target.</summary>
    public const string RedirectPrefix = "Cross-origin redirection to ";

    // The names WebKit stores as known header names (HTTPHeaderNames.in) that a script may set: WebKit keeps them apart
    // from other names, looks at them first and prints them in this spelling. Other names keep the script's spelling.
    private static readonly Dictionary<string, string> KnownRequestHeaderNames = new[]
    {
        "Accept", "Accept-Language", "Accept-Ranges", "Access-Control-Allow-Credentials", "Access-Control-Allow-Headers",
        "Access-Control-Allow-Methods", "Access-Control-Allow-Origin", "Access-Control-Expose-Headers", "Access-Control-Max-Age",
        "Age", "Authorization", "Cache-Control", "Content-Disposition", "Content-Encoding", "Content-Language",
        "Content-Security-Policy", "Content-Security-Policy-Report-Only", "Content-Type", "Content-Range",
        "Cross-Origin-Resource-Policy", "Default-Style", "ETag", "Expires", "If-Match", "If-Modified-Since", "If-None-Match",
        "If-Range", "If-Unmodified-Since", "Last-Event-ID", "Last-Modified", "Link", "Location", "Ping-From", "Ping-To",
        "Purpose", "Pragma", "Range", "Referrer-Policy", "Refresh", "Server-Timing", "Service-Worker", "Service-Worker-Allowed",
        "Set-Cookie", "Set-Cookie2", "SourceMap", "Timing-Allow-Origin", "Upgrade-Insecure-Requests", "User-Agent", "Vary",
        "X-Content-Type-Options", "X-DNS-Prefetch-Control", "X-Frame-Options", "X-SourceMap", "X-WebKit-CSP",
        "X-WebKit-CSP-Report-Only", "X-XSS-Protection", "X-Temp-Tablet",
    }.ToDictionary(name => name, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Every CORS line WebKit's console shows for <paramref name="request"/>, in order: the reason line, then
    /// <see cref="CannotLoad"/>'s line. Empty when WebKit does not block (or the responses given do not reach a verdict).
    /// </summary>
    /// <param name="request">The request (for a redirected request, the hop being checked).</param>
    /// <param name="preflight">The preflight response, when one is sent.</param>
    /// <param name="actual">The actual response, when the request got that far.</param>
    public static IReadOnlyList<string> PredictConsole(BrowserRequest request, BrowserResponse? preflight, BrowserResponse? actual)
    {
        ArgumentNullException.ThrowIfNull(request);
        var plan = PreflightPlan.For(request);
        return Lines(plan, BrowserUrl.Serialize(request.Url), preflight, actual);
    }

    /// <summary>
    /// The line WebKit adds after every reason: <c>Fetch API cannot load &lt;url&gt; due to access control checks.</c>, or
    /// <c>XMLHttpRequest cannot load ...</c>. The URL is the one whose response failed (after redirects, the last one).
    /// </summary>
    /// <param name="url">The URL (serialized).</param>
    /// <param name="initiator">The API that made the request.</param>
    public static string CannotLoad(string url, RequestInitiator initiator)
    {
        ArgumentNullException.ThrowIfNull(url);
        var kind = initiator == RequestInitiator.XmlHttpRequest ? "XMLHttpRequest" : "Fetch API";
        return $"{kind} cannot load {url} due to access control checks.";
    }

    /// <summary><see cref="PredictConsole"/> for a plan already made, with the request URL already serialized.</summary>
    internal static IReadOnlyList<string> Lines(PreflightPlan plan, string url, BrowserResponse? preflight, BrowserResponse? actual)
    {
        if (!plan.IsCrossOrigin)
        {
            return [];
        }

        var reason = plan.IsRequired && preflight is not null ? PreflightFailure(plan, preflight) : null;
        if (reason is null && actual is not null)
        {
            reason = CorsCheckFailure(actual, plan.Origin, plan.Credentials);
            if (reason is not null && actual.IsRedirect)
            {
                // A Location that does not resolve is printed as sent rather than failing the prediction.
                var target = Uri.TryCreate(BrowserUrl.Parse(url, nameof(url)), actual.Location, out var resolved) ? resolved.AbsoluteUri : actual.Location;
                reason = $"{RedirectPrefix}{target} denied by Cross-Origin Resource Sharing policy: {reason}";
            }
        }

        return reason is null ? [] : [reason, CannotLoad(url, plan.Request.Initiator)];
    }

    // CrossOriginAccessControl.cpp, passesAccessControlCheck: one comparison with the origin, then only the wording is picked.
    private static string? CorsCheckFailure(BrowserResponse response, string origin, CredentialsMode credentials)
    {
        var include = credentials == CredentialsMode.Include;
        var allowOrigin = response.Headers.Get(CorsHeaderNames.AccessControlAllowOrigin);
        if (allowOrigin == "*" && !include)
        {
            return null;
        }

        if (allowOrigin != origin)
        {
            return allowOrigin == "*" ? "Cannot use wildcard in Access-Control-Allow-Origin when credentials flag is true."
                : allowOrigin?.Contains(',', StringComparison.Ordinal) == true ? "Access-Control-Allow-Origin cannot contain more than one origin."
                : $"Origin {origin} is not allowed by Access-Control-Allow-Origin. Status code: {response.Status.ToString(CultureInfo.InvariantCulture)}";
        }

        return include && response.Headers.Get(CorsHeaderNames.AccessControlAllowCredentials) != "true"
            ? "Credentials flag is true, but Access-Control-Allow-Credentials is not \"true\"."
            : null;
    }

    // CrossOriginAccessControl.cpp, validatePreflightResponse: status (a redirect is not a success either), the CORS
    // check, both lists (methods first), the method, the headers.
    private static string? PreflightFailure(PreflightPlan plan, BrowserResponse preflight)
    {
        if (!preflight.IsOk)
        {
            return $"Preflight response is not successful. Status code: {preflight.Status.ToString(CultureInfo.InvariantCulture)}";
        }

        var cors = CorsCheckFailure(preflight, plan.Origin, plan.Credentials);
        if (cors is not null)
        {
            return cors;
        }

        var methodsValue = preflight.Headers.Get(CorsHeaderNames.AccessControlAllowMethods);
        if (!TokenList.TryParse(methodsValue, lowerCase: false, out var methods))
        {
            return $"Header Access-Control-Allow-Methods has an invalid value: {methodsValue}";
        }

        var headersValue = preflight.Headers.Get(CorsHeaderNames.AccessControlAllowHeaders);
        if (!TokenList.TryParse(headersValue, lowerCase: true, out var allowed))
        {
            return $"Header Access-Control-Allow-Headers has an invalid value: {headersValue}";
        }

        // "*" stands for any method or header only without credentials; methods compare case-sensitively.
        var wildcard = plan.Credentials != CredentialsMode.Include;
        if (!Safelist.IsCorsSafelistedMethod(plan.Method) && !methods.Contains(plan.Method, StringComparer.Ordinal)
            && !(wildcard && methods.Contains("*", StringComparer.Ordinal)))
        {
            return $"Method {plan.Method} is not allowed by Access-Control-Allow-Methods.";
        }

        if (wildcard && allowed.Contains("*", StringComparer.Ordinal))
        {
            return null;
        }

        var missing = UnsafeHeadersInWebKitOrder(plan).FirstOrDefault(name => !allowed.Contains(name.ToLowerInvariant(), StringComparer.Ordinal));
        return missing is null ? null : $"Request header field {missing} is not allowed by Access-Control-Allow-Headers.";
    }

    // WebKit's header map holds known names first, then the others, each in the order the script set them.
    private static IEnumerable<string> UnsafeHeadersInWebKitOrder(PreflightPlan plan)
    {
        var unsafeNames = plan.RequestHeaders
            .Select(h => h.Name)
            .Where(name => plan.UnsafeHeaderNames.Contains(name.ToLowerInvariant(), StringComparer.Ordinal))
            .ToList();
        var known = unsafeNames.Where(KnownRequestHeaderNames.ContainsKey).Select(name => KnownRequestHeaderNames[name]);
        return known.Concat(unsafeNames.Where(name => !KnownRequestHeaderNames.ContainsKey(name)));
    }
}

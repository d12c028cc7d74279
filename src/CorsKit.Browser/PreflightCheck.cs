using CorsKit.Http;

namespace CorsKit.Browser;

/// <summary>
/// The checks a browser runs on a preflight response (Fetch, section 4.8 "CORS-preflight fetch"), in Chromium's order
/// (<c>services/network/cors/preflight_controller.cc</c> and <c>preflight_result.cc</c>).
/// </summary>
public static class PreflightCheck
{
    /// <summary>
    /// Checks <paramref name="response"/> for <paramref name="plan"/>: a redirect fails first; then the CORS check (so a
    /// 500 without <c>Access-Control-Allow-Origin</c> reads "No 'Access-Control-Allow-Origin' header"); then the status
    /// (200-299); then both lists must parse (methods first); then the method; then the headers.
    /// </summary>
    /// <param name="plan">The planned preflight (its request's method, headers, origin and credentials mode).</param>
    /// <param name="response">The preflight response.</param>
    public static PreflightCheckResult Run(PreflightPlan plan, BrowserResponse response)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(response);
        var headers = response.Headers;
        var maxAge = headers.Get(CorsHeaderNames.AccessControlMaxAge);

        // Chromium's loader refuses the redirect itself, before any header of it is looked at (Fetch 4.8 step 7 has
        // the CORS check first; a redirect is never an ok status either way).
        if (response.IsRedirect)
        {
            return Fail(CorsFailure.PreflightRedirect, maxAge);
        }

        // Step 7: "If a CORS check for request and response returns success and response's status is an ok status".
        var cors = CorsCheck.Run(headers, plan.Origin, plan.Credentials, onPreflight: true);
        if (!cors.Passed)
        {
            return new PreflightCheckResult(cors) { MaxAge = maxAge };
        }

        if (!response.IsOk)
        {
            return Fail(CorsFailure.PreflightInvalidStatus, maxAge);
        }

        // Steps 7.1-7.3: extract both lists; failure to parse either is a network error. Chromium parses methods first.
        if (!TokenList.TryParse(headers.Get(CorsHeaderNames.AccessControlAllowMethods), lowerCase: false, out var methods))
        {
            return Fail(CorsFailure.InvalidAllowMethodsPreflightResponse, maxAge);
        }

        if (!TokenList.TryParse(headers.Get(CorsHeaderNames.AccessControlAllowHeaders), lowerCase: true, out var allowed))
        {
            return Fail(CorsFailure.InvalidAllowHeadersPreflightResponse, maxAge);
        }

        // Step 7.5: with credentials "include", "*" is just a method or header named "*".
        var wildcard = plan.Credentials != CredentialsMode.Include;

        // Step 7.6: the method passes if safelisted, listed (case-sensitive, "patch" is not "PATCH") or covered by "*".
        if (!Safelist.IsCorsSafelistedMethod(plan.Method) && !methods.Contains(plan.Method, StringComparer.Ordinal)
            && !(wildcard && methods.Contains("*", StringComparer.Ordinal)))
        {
            return new PreflightCheckResult(new CorsCheckResult(CorsFailure.MethodDisallowedByPreflightResponse, plan.Method, OnPreflight: true))
            {
                AllowedMethods = methods,
                AllowedHeaders = allowed,
                MaxAge = maxAge,
            };
        }

        // Steps 7.7-7.8: every unsafe header listed (case-insensitive) or covered by "*". The standard never lets "*" cover
        // Authorization; Chromium 156 still does (its non-wildcard feature is off) and only warns, so model that.
        var coversAll = wildcard && allowed.Contains("*", StringComparer.Ordinal);
        var disallowed = coversAll ? [] : plan.UnsafeHeaderNames.Where(name => !allowed.Contains(name, StringComparer.Ordinal)).ToList();
        var authorizationByWildcard = coversAll
            && plan.UnsafeHeaderNames.Contains("authorization", StringComparer.Ordinal)
            && !allowed.Contains("authorization", StringComparer.Ordinal);
        var result = disallowed.Count == 0
            ? CorsCheckResult.Pass
            : new CorsCheckResult(CorsFailure.HeaderDisallowedByPreflightResponse, disallowed[0], OnPreflight: true);
        return new PreflightCheckResult(result)
        {
            AllowedMethods = methods,
            AllowedHeaders = allowed,
            DisallowedHeaders = disallowed,
            AuthorizationCoveredByWildcard = authorizationByWildcard,
            MaxAge = maxAge,
        };
    }

    private static PreflightCheckResult Fail(CorsFailure failure, string? maxAge) =>
        new(new CorsCheckResult(failure, null, OnPreflight: true)) { MaxAge = maxAge };
}

using System.Buffers;
using CorsKit.Http;

namespace CorsKit.Browser;

/// <summary>
/// The CORS check a browser runs on every cross-origin response, redirect hop and preflight (Fetch, section 4.9
/// "CORS check"), with the reasons in Chromium's order (<c>services/network/public/cpp/cors/cors.cc</c>).
/// </summary>
public static class CorsCheck
{
    private static readonly SearchValues<char> SchemeChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.");

    /// <summary>
    /// Runs the CORS check. In Chromium's order: <c>*</c> with credentials; missing header; then, when the value is not the
    /// origin byte for byte: a space or comma (multiple values), <c>null</c> (mismatch), not a URL (invalid value), else
    /// mismatch; finally, with credentials, <c>Access-Control-Allow-Credentials</c> not exactly <c>true</c>.
    /// </summary>
    /// <param name="headers">The response's header lines.</param>
    /// <param name="origin">The serialized origin the request carried (<c>null</c> for an opaque or tainted origin).</param>
    /// <param name="credentials">The request's credentials mode (the actual request's, also for its preflight).</param>
    /// <param name="onPreflight">Whether <paramref name="headers"/> belong to a preflight response.</param>
    public static CorsCheckResult Run(ResponseHeaders headers, string origin, CredentialsMode credentials, bool onPreflight = false)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(origin);
        var include = credentials == CredentialsMode.Include;
        var allowOrigin = headers.Get(CorsHeaderNames.AccessControlAllowOrigin);

        // Fetch 4.9 steps 1-3: "*" passes without credentials; Chromium names "*" with credentials before a missing header.
        if (allowOrigin == "*")
        {
            if (!include)
            {
                return CorsCheckResult.Pass;
            }

            return new CorsCheckResult(CorsFailure.WildcardOriginWithCredentials, allowOrigin, onPreflight);
        }

        if (allowOrigin is null)
        {
            return new CorsCheckResult(CorsFailure.MissingAllowOrigin, null, onPreflight);
        }

        // Step 4: byte-for-byte comparison with the serialized origin; the rest only picks Chromium's wording.
        if (!string.Equals(allowOrigin, origin, StringComparison.Ordinal))
        {
            var failure = allowOrigin.AsSpan().IndexOfAny(" ,") >= 0 ? CorsFailure.MultipleAllowOriginValues
                : allowOrigin == Origins.Origin.Null ? CorsFailure.AllowOriginMismatch
                : !LooksLikeUrl(allowOrigin) ? CorsFailure.InvalidAllowOrigin
                : CorsFailure.AllowOriginMismatch;
            return new CorsCheckResult(failure, allowOrigin, onPreflight);
        }

        // Steps 5-7: with credentials, Access-Control-Allow-Credentials must be exactly "true" (case-sensitive).
        if (include)
        {
            var allowCredentials = headers.Get(CorsHeaderNames.AccessControlAllowCredentials);
            if (allowCredentials != "true")
            {
                return new CorsCheckResult(CorsFailure.InvalidAllowCredentials, allowCredentials ?? string.Empty, onPreflight);
            }
        }

        return CorsCheckResult.Pass;
    }

    // Chromium asks GURL whether the value is a valid URL at all: a scheme, ':' and something that canonicalizes.
    private static bool LooksLikeUrl(string value)
    {
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        return colon > 0
            && char.IsAsciiLetter(value[0])
            && !value.AsSpan(0, colon).ContainsAnyExcept(SchemeChars)
            && Uri.TryCreate(value, UriKind.Absolute, out _);
    }
}

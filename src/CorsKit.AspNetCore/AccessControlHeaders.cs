using CorsKit.Evaluation;
using CorsKit.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace CorsKit.AspNetCore;

/// <summary>
/// CorsKit's last word on <c>Access-Control-*</c>: whatever the endpoint or a hook set there is replaced by CorsKit's
/// answer, so an app can never grant what the policy refused (an origin, credentials, a header to read).
/// </summary>
internal static class AccessControlHeaders
{
    /// <summary>
    /// Removes every <c>Access-Control-*</c> response header whose value is not the one <paramref name="decision"/> sends
    /// (all of them when it sends none; <see langword="default"/> for no CORS), on any response: one a browser would not
    /// read there (a max-age on an actual response) says what the policy did not. Returns the first one removed, if any.
    /// </summary>
    public static (string Name, string Value)? RemoveContradictions(IHeaderDictionary headers, in CorsDecision decision)
    {
        if (headers.Count == 0)
        {
            return null; // nothing set yet: the usual preflight
        }

        var allowed = decision.AllowOrigin is not null;
        (string, string)? first = null;
        Check(headers, CorsHeaderNames.AccessControlAllowOrigin, headers.AccessControlAllowOrigin, decision.AllowOrigin, ref first);
        Check(headers, CorsHeaderNames.AccessControlAllowCredentials, headers.AccessControlAllowCredentials, allowed && decision.AllowCredentials ? "true" : null, ref first);
        Check(headers, CorsHeaderNames.AccessControlAllowMethods, headers.AccessControlAllowMethods, allowed ? decision.AllowMethods : null, ref first);
        Check(headers, CorsHeaderNames.AccessControlAllowHeaders, headers.AccessControlAllowHeaders, allowed ? decision.AllowHeaders : null, ref first);
        Check(headers, CorsHeaderNames.AccessControlExposeHeaders, headers.AccessControlExposeHeaders, allowed ? decision.ExposeHeaders : null, ref first);
        Check(headers, CorsHeaderNames.AccessControlMaxAge, headers.AccessControlMaxAge, allowed ? decision.MaxAge : null, ref first);
        if (headers.TryGetValue(CorsHeaderNames.AccessControlAllowPrivateNetwork, out var privateNetwork))
        {
            Check(headers, CorsHeaderNames.AccessControlAllowPrivateNetwork, privateNetwork, allowed && decision.AllowPrivateNetwork ? "true" : null, ref first);
        }

        return first;
    }

    private static void Check(IHeaderDictionary headers, string name, StringValues set, string? expected, ref (string, string)? first)
    {
        if (set.Count == 0 || (set.Count == 1 && string.Equals(set[0], expected, StringComparison.Ordinal)))
        {
            return;
        }

        headers.Remove(name);
        first ??= (name, set.ToString());
    }
}

using CorsKit.Http;
using CorsKit.Origins;
using CorsKit.Policies;

namespace CorsKit.Evaluation;

/// <summary>
/// Decides a request against a policy: a pure function of the request's facts, with no I/O and, on every path
/// that allows, no allocation.
/// </summary>
public static class CorsEvaluator
{
    /// <summary>Longest <c>Access-Control-Request-Headers</c> value considered; longer is malformed.</summary>
    public const int MaxRequestHeadersLength = 8192;

    /// <summary>Decides <paramref name="request"/> against <paramref name="policy"/>.</summary>
    /// <param name="policy">The policy that applies.</param>
    /// <param name="request">The request's facts.</param>
    public static CorsDecision Evaluate(CorsPolicy policy, in CorsRequest request)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var varyOrigin = policy.VariesByOrigin ? VaryOn.Origin : VaryOn.None;
        var origin = request.Origin;
        var isPreflight = request.IsPreflight;

        // A response that depends on Origin varies on it for every request, even one without Origin or a refused
        // one, or a shared cache could hand one origin's answer to another (Fetch, "CORS protocol and HTTP caches").
        if (origin is null)
        {
            return new CorsDecision(CorsOutcome.NotCors, false, policy) { Vary = varyOrigin };
        }

        if (origin.Length == 0 || origin.Length > OriginMatcher.MaxOriginLength || (!policy.AllowAnyOrigin && origin.AsSpan().IndexOfAny(", \t") >= 0))
        {
            return Reject(policy, isPreflight, RejectionReason.OriginMalformed, null, varyOrigin);
        }

        string allowOrigin;
        if (policy.AllowAnyOrigin)
        {
            allowOrigin = "*";
        }
        else
        {
            bool matches;
            try
            {
                matches = policy.Origins.Matches(origin);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                return new CorsDecision(CorsOutcome.Rejected, isPreflight, policy, RejectionReason.OriginCheckFailed, origin, ex) { Vary = varyOrigin };
            }

            if (!matches)
            {
                // Not listed, or not an origin at all: the decision tells which only when asked (most refusals are
                // never explained, and telling costs a parse of the value).
                return Reject(policy, isPreflight, CorsDecision.OriginRefused, origin, varyOrigin);
            }

            allowOrigin = origin;
        }

        if (!isPreflight)
        {
            return new CorsDecision(CorsOutcome.Allowed, false, policy)
            {
                AllowOrigin = allowOrigin,
                AllowCredentials = policy.AllowCredentials,
                ExposeHeaders = policy.ExposeHeadersValue,
                Vary = varyOrigin,
            };
        }

        return EvaluatePreflight(policy, request, allowOrigin, varyOrigin);
    }

    private static CorsDecision EvaluatePreflight(CorsPolicy policy, in CorsRequest request, string allowOrigin, VaryOn vary)
    {
        var method = request.AccessControlRequestMethod!;
        if (!HttpSyntax.IsToken(method))
        {
            return Reject(policy, true, RejectionReason.MethodMalformed, null, vary);
        }

        // Fetch "CORS-preflight fetch" step 7: a method passes if safelisted, listed (case-sensitive) or allowed by any.
        var allowMethods = policy.AllowMethodsValue;
        if (policy.AllowAnyMethod)
        {
            allowMethods = method;
            vary |= VaryOn.RequestMethod;
        }
        else if (!IsSafelistedMethod(method) && !policy.MethodSet.Contains(method))
        {
            return RejectWithLists(policy, allowOrigin, vary, RejectionReason.MethodNotAllowed, method);
        }

        // Step 8: every requested header must be listed (case-insensitive), unless any header is allowed.
        var allowHeaders = policy.AllowHeadersValue;
        var requested = request.AccessControlRequestHeaders;
        if (requested is not null)
        {
            if (requested.Length > MaxRequestHeadersLength)
            {
                return Reject(policy, true, RejectionReason.HeadersMalformed, null, vary);
            }

            var remaining = requested.AsSpan();
            var any = false;
            while (!remaining.IsEmpty || !any)
            {
                var comma = remaining.IndexOf(',');
                var item = HttpSyntax.TrimOws(comma < 0 ? remaining : remaining[..comma]);
                remaining = comma < 0 ? [] : remaining[(comma + 1)..];
                any = true;

                if (item.IsEmpty && comma < 0 && requested.AsSpan().Trim(" \t").IsEmpty)
                {
                    break; // "Access-Control-Request-Headers:" with an empty value asks for nothing.
                }

                if (!HttpSyntax.IsToken(item))
                {
                    return Reject(policy, true, RejectionReason.HeadersMalformed, null, vary);
                }

                if (!policy.AllowAnyHeader && !policy.HeaderLookup.Contains(item))
                {
                    return RejectWithLists(policy, allowOrigin, vary, RejectionReason.HeaderNotAllowed, item.ToString().ToLowerInvariant());
                }

                if (comma < 0)
                {
                    break;
                }
            }

            if (policy.AllowAnyHeader && !requested.AsSpan().Trim(" \t").IsEmpty)
            {
                // Echo the names rather than send '*': '*' never covers Authorization (Fetch) and is literal with credentials.
                allowHeaders = requested;
                vary |= VaryOn.RequestHeaders;
            }
        }

        if (request.RequestsPrivateNetwork && !policy.AllowPrivateNetwork)
        {
            return RejectWithLists(policy, allowOrigin, vary, RejectionReason.PrivateNetworkNotAllowed, null);
        }

        return new CorsDecision(CorsOutcome.Allowed, true, policy)
        {
            AllowOrigin = allowOrigin,
            AllowCredentials = policy.AllowCredentials,
            AllowMethods = allowMethods,
            AllowHeaders = allowHeaders,
            MaxAge = policy.MaxAgeValue,
            AllowPrivateNetwork = request.RequestsPrivateNetwork,
            Vary = vary,
        };
    }

    /// <summary>Whether <paramref name="method"/> is a CORS-safelisted method (GET, HEAD, POST; case-sensitive).</summary>
    /// <param name="method">The method.</param>
    public static bool IsSafelistedMethod(ReadOnlySpan<char> method) =>
        method.SequenceEqual("GET") || method.SequenceEqual("HEAD") || method.SequenceEqual("POST");

    // The origin is refused or the request is malformed: no CORS headers at all, so the browser blocks it.
    private static CorsDecision Reject(CorsPolicy policy, bool isPreflight, RejectionReason reason, string? value, VaryOn vary) =>
        new(CorsOutcome.Rejected, isPreflight, policy, reason, value) { Vary = vary };

    // The origin is allowed but the preflight asks for more than the policy gives: send the origin and the policy's
    // own lists (never the request's), so the browser's console names the method or header that is missing.
    private static CorsDecision RejectWithLists(CorsPolicy policy, string allowOrigin, VaryOn vary, RejectionReason reason, string? value) =>
        new(CorsOutcome.Rejected, true, policy, reason, value)
        {
            AllowOrigin = allowOrigin,
            AllowCredentials = policy.AllowCredentials,
            AllowMethods = policy.AllowMethodsValue,
            AllowHeaders = policy.AllowHeadersValue,
            Vary = vary & VaryOn.Origin,
        };
}

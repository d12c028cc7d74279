using CorsKit.Http;
using CorsKit.Isolation;
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

    /// <summary>Longest <c>Access-Control-Request-Method</c> value considered; longer is malformed (the longest registered method has 17 characters).</summary>
    public const int MaxRequestMethodLength = 128;

    /// <summary>Decides <paramref name="request"/> against <paramref name="policy"/>.</summary>
    /// <param name="policy">The policy that applies.</param>
    /// <param name="request">The request's facts.</param>
    public static CorsDecision Evaluate(CorsPolicy policy, in CorsRequest request) => Evaluate(policy, request, originVerdict: null);

    /// <summary>
    /// Decides <paramref name="request"/> like <see cref="EvaluateAsync(CorsPolicy, CorsRequest, UserCodeBulkhead, CancellationToken)"/>,
    /// with the process-wide bulkhead: the system clock, and at most <see cref="UserCodeBulkhead.DefaultMaxCallsInFlight"/>
    /// (64) predicates in flight across every caller of this overload.
    /// </summary>
    /// <param name="policy">The policy that applies.</param>
    /// <param name="request">The request's facts.</param>
    /// <param name="cancellationToken">Abandons the wait (the request was aborted).</param>
    public static ValueTask<CorsDecision> EvaluateAsync(CorsPolicy policy, CorsRequest request, CancellationToken cancellationToken = default) =>
        EvaluateAsync(policy, request, UserCodeBulkhead.Shared, cancellationToken);

    /// <summary>
    /// Decides <paramref name="request"/> like <see cref="Evaluate(CorsPolicy, in CorsRequest)"/>, except that an origin
    /// predicate, when it has to be asked, runs on a thread of <paramref name="bulkhead"/> (never the caller's, nor a
    /// thread-pool thread) and is awaited at most the policy's <see cref="CorsPolicy.OriginPredicateTimeout"/> (default
    /// 1 s), measured by the bulkhead's <see cref="UserCodeBulkhead.TimeProvider"/>. When the predicate throws, runs past
    /// its budget (<see cref="TimeoutException"/>), or is not called because the bulkhead is full
    /// (<see cref="BulkheadFullException"/>), the origin is refused (fail closed) with
    /// <see cref="RejectionReason.OriginCheckFailed"/> and that exception in <see cref="CorsDecision.Error"/>. How long the
    /// predicate was waited for is in <see cref="CorsDecision.OriginPredicateDuration"/>. Completes synchronously,
    /// allocating nothing, whenever the predicate is not needed.
    /// </summary>
    /// <param name="policy">The policy that applies.</param>
    /// <param name="request">The request's facts.</param>
    /// <param name="bulkhead">Where the predicate runs, with the bound on calls in flight and the clock.</param>
    /// <param name="cancellationToken">Abandons the wait (the request was aborted): the task then ends with <see cref="OperationCanceledException"/>.</param>
    public static ValueTask<CorsDecision> EvaluateAsync(CorsPolicy policy, CorsRequest request, UserCodeBulkhead bulkhead, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(bulkhead);
        if (request.Origin is { } origin && policy.Origins.HasPredicate && !policy.AllowAnyOrigin && !IsMalformedOrigin(policy, origin))
        {
            OriginMatch match;
            try
            {
                match = policy.Origins.MatchWithoutPredicate(origin, request.Tenant);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                return new(OriginCheckFailed(policy, request, origin, ex));
            }

            // The entries' answer is known: decide with it rather than match the origin again.
            return match == OriginMatch.AskPredicate
                ? AskPredicateAsync(policy, request, origin, bulkhead, cancellationToken)
                : new(Evaluate(policy, request, originVerdict: match == OriginMatch.Allowed));
        }

        return new(Evaluate(policy, request));
    }

    private static async ValueTask<CorsDecision> AskPredicateAsync(CorsPolicy policy, CorsRequest request, string origin, UserCodeBulkhead bulkhead, CancellationToken cancellationToken)
    {
        var time = bulkhead.TimeProvider;
        var asked = time.GetTimestamp();
        bool verdict;
        try
        {
            verdict = await policy.Origins.MatchesPredicateAsync(origin, bulkhead, policy.OriginPredicateTimeout, policy.PredicateCaller, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException && !(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            return OriginCheckFailed(policy, request, origin, ex) with { OriginPredicateDuration = time.GetElapsedTime(asked) };
        }

        return Evaluate(policy, request, verdict) with { OriginPredicateDuration = time.GetElapsedTime(asked) };
    }

    // An entry (a regex that timed out) or the predicate threw: the origin is refused (fail closed), with the exception.
    private static CorsDecision OriginCheckFailed(CorsPolicy policy, in CorsRequest request, string origin, Exception exception) =>
        new(CorsOutcome.Rejected, request.IsPreflight, policy, RejectionReason.OriginCheckFailed, origin, exception)
        {
            Vary = policy.VariesByOrigin ? VaryOn.Origin : VaryOn.None,
        };

    // A malformed Origin is refused before any entry is asked.
    private static bool IsMalformedOrigin(CorsPolicy policy, string origin) =>
        origin.Length == 0 || origin.Length > OriginMatcher.MaxOriginLength || (!policy.AllowAnyOrigin && origin.AsSpan().IndexOfAny(", \t") >= 0);

    // originVerdict: whether the origin matches, when EvaluateAsync already found out (from the entries, or the predicate).
    private static CorsDecision Evaluate(CorsPolicy policy, in CorsRequest request, bool? originVerdict)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var varyOrigin = policy.VariesByOrigin ? VaryOn.Origin : VaryOn.None;
        var origin = request.Origin;
        var isPreflight = request.IsPreflight;

        // A resource open to any origin (without credentials) says so on every response, with or without Origin, so a
        // shared cache can serve any response to any origin (Fetch, "CORS protocol and HTTP caches").
        if (policy.AllowAnyOrigin && !policy.AllowCredentials && !isPreflight)
        {
            return new CorsDecision(origin is null ? CorsOutcome.NotCors : CorsOutcome.Allowed, false, policy)
            {
                AllowOrigin = "*",
                ExposeHeaders = policy.ExposeHeadersValue,
            };
        }

        // A response that depends on Origin varies on it for every request, even one without Origin or a refused
        // one, or a shared cache could hand one origin's answer to another (Fetch, "CORS protocol and HTTP caches").
        if (origin is null)
        {
            return new CorsDecision(CorsOutcome.NotCors, false, policy) { Vary = varyOrigin };
        }

        if (IsMalformedOrigin(policy, origin))
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
                matches = originVerdict ?? policy.Origins.Matches(origin, request.Tenant);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                return OriginCheckFailed(policy, request, origin, ex);
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
        if (method.Length > MaxRequestMethodLength || !HttpSyntax.IsToken(method))
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
            return RejectWithLists(policy, allowOrigin, allowMethods, policy.AllowHeadersValue, vary, RejectionReason.MethodNotAllowed, method);
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

            // An empty value asks for nothing. Otherwise every item is a token: "a,,b", ",a" and "a," are malformed.
            var remaining = requested.AsSpan();
            var asksForHeaders = !HttpSyntax.TrimOws(remaining).IsEmpty;
            while (asksForHeaders)
            {
                var comma = remaining.IndexOf(',');
                var item = HttpSyntax.TrimOws(comma < 0 ? remaining : remaining[..comma]);
                if (!HttpSyntax.IsToken(item))
                {
                    return Reject(policy, true, RejectionReason.HeadersMalformed, null, vary);
                }

                if (!policy.AllowAnyHeader && !policy.HeaderLookup.Contains(item))
                {
                    return RejectWithLists(policy, allowOrigin, allowMethods, allowHeaders, vary, RejectionReason.HeaderNotAllowed, item.ToString().ToLowerInvariant());
                }

                if (comma < 0)
                {
                    break;
                }

                remaining = remaining[(comma + 1)..];
            }

            if (policy.AllowAnyHeader && asksForHeaders)
            {
                // Echo the names rather than send '*': '*' never covers Authorization (Fetch) and is literal with credentials.
                allowHeaders = requested;
                vary |= VaryOn.RequestHeaders;
            }
        }

        if (request.RequestsPrivateNetwork && !policy.AllowPrivateNetwork)
        {
            return RejectWithLists(policy, allowOrigin, allowMethods, allowHeaders, vary, RejectionReason.PrivateNetworkNotAllowed, null);
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

    // The origin is allowed but the preflight asks for more than the policy gives: send the origin and what the policy
    // allows (its own lists, or the echo of what "any" allowed so far; never a grant the policy does not make), so the
    // browser's console names the method or header that is really missing.
    private static CorsDecision RejectWithLists(CorsPolicy policy, string allowOrigin, string? allowMethods, string? allowHeaders, VaryOn vary, RejectionReason reason, string? value) =>
        new(CorsOutcome.Rejected, true, policy, reason, value)
        {
            AllowOrigin = allowOrigin,
            AllowCredentials = policy.AllowCredentials,
            AllowMethods = allowMethods,
            AllowHeaders = allowHeaders,
            Vary = vary,
        };
}

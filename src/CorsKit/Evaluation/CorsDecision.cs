using CorsKit.Origins;
using CorsKit.Policies;

namespace CorsKit.Evaluation;

/// <summary>
/// The server's decision on one request and the CORS headers to write. A value type: deciding allocates nothing;
/// every header value is either precomputed by the policy or a string taken from the request itself.
/// </summary>
public readonly struct CorsDecision
{
    /// <summary>
    /// The origin was refused; whether it is a well-formed origin that is not listed or no origin at all is worked out
    /// only when <see cref="Reason"/> or <see cref="RejectedValue"/> is read (logs, diagnostics), not on every refusal.
    /// </summary>
    internal const RejectionReason OriginRefused = (RejectionReason)(-1);

    private readonly RejectionReason _reason;
    private readonly string? _rejectedValue;

    internal CorsDecision(CorsOutcome outcome, bool isPreflight, CorsPolicy policy, RejectionReason reason = RejectionReason.None, string? rejectedValue = null, Exception? error = null)
    {
        Outcome = outcome;
        IsPreflight = isPreflight;
        Policy = policy;
        _reason = reason;
        _rejectedValue = rejectedValue;
        Error = error;
    }

    /// <summary>Allowed, rejected, or not a CORS request.</summary>
    public CorsOutcome Outcome { get; }

    /// <summary>Whether the request was a preflight.</summary>
    public bool IsPreflight { get; }

    /// <summary>The policy that decided.</summary>
    public CorsPolicy Policy { get; }

    /// <summary>Why it was rejected, or <see cref="RejectionReason.None"/>.</summary>
    public RejectionReason Reason => _reason != OriginRefused
        ? _reason
        : IsOriginShaped(_rejectedValue!) ? RejectionReason.OriginNotAllowed : RejectionReason.OriginMalformed;

    /// <summary>The offending value (origin, method or header name), when rejected; never a malformed origin.</summary>
    public string? RejectedValue => _reason != OriginRefused || IsOriginShaped(_rejectedValue!) ? _rejectedValue : null;

    /// <summary>The exception of a failed origin check (predicate or regex timeout), for logging.</summary>
    public Exception? Error { get; }

    /// <summary>
    /// How long <see cref="CorsEvaluator.EvaluateAsync(CorsPolicy, CorsRequest, Isolation.UserCodeBulkhead, CancellationToken)"/>
    /// waited for the origin predicate, measured with the bulkhead's clock from just before the call was admitted until it
    /// answered, threw, ran out of its budget, or was refused a place in the bulkhead; <see langword="null"/> when it did
    /// not ask the predicate (the other entries answered, there is none) and from the synchronous
    /// <see cref="CorsEvaluator.Evaluate(CorsPolicy, in CorsRequest)"/>, which measures nothing.
    /// </summary>
    public TimeSpan? OriginPredicateDuration { get; init; }

    /// <summary>Whether the request was allowed.</summary>
    public bool IsAllowed => Outcome == CorsOutcome.Allowed;

    /// <summary><c>Access-Control-Allow-Origin</c>, or <see langword="null"/> when none is sent.</summary>
    public string? AllowOrigin { get; init; }

    /// <summary>Whether <c>Access-Control-Allow-Credentials: true</c> is sent.</summary>
    public bool AllowCredentials { get; init; }

    /// <summary><c>Access-Control-Allow-Methods</c> (preflight only), or <see langword="null"/>.</summary>
    public string? AllowMethods { get; init; }

    /// <summary><c>Access-Control-Allow-Headers</c> (preflight only), or <see langword="null"/>.</summary>
    public string? AllowHeaders { get; init; }

    /// <summary><c>Access-Control-Expose-Headers</c> (actual requests only), or <see langword="null"/>.</summary>
    public string? ExposeHeaders { get; init; }

    /// <summary><c>Access-Control-Max-Age</c> (allowed preflight only), or <see langword="null"/>.</summary>
    public string? MaxAge { get; init; }

    /// <summary>Whether <c>Access-Control-Allow-Private-Network: true</c> is sent.</summary>
    public bool AllowPrivateNetwork { get; init; }

    /// <summary>The request headers to merge into <c>Vary</c>.</summary>
    public VaryOn Vary { get; init; }

    /// <summary>Whether any <c>Access-Control-*</c> header is sent.</summary>
    public bool HasCorsHeaders => AllowOrigin is not null;

    /// <summary>
    /// A one-line explanation of a rejection for people (logs, the debug diagnostic header), such as
    /// <c>header 'x-token' is not allowed by policy 'spa'; allowed: content-type, x-api-key</c>. Allocates; call it only when needed.
    /// </summary>
    public string Explain()
    {
        var policy = Policy.Name;
        return Reason switch
        {
            RejectionReason.None => Outcome == CorsOutcome.Allowed ? $"allowed by policy '{policy}'" : "not a CORS request (no Origin header)",
            RejectionReason.OriginNotAllowed => $"origin '{RejectedValue}' is not allowed by policy '{policy}'; allowed: {Policy.DescribeOrigins()}",
            RejectionReason.OriginMalformed => $"the Origin header is not a serialized origin (scheme://host[:port], lower case, one value); policy '{policy}' refused it",
            RejectionReason.OriginCheckFailed => $"the origin check of policy '{policy}' failed ({Error?.GetType().Name}); the origin was refused",
            RejectionReason.MethodNotAllowed => $"method '{RejectedValue}' is not allowed by policy '{policy}'; allowed: {List(Policy.Methods, "GET, HEAD, POST")}",
            RejectionReason.HeaderNotAllowed => $"header '{RejectedValue}' is not allowed by policy '{policy}'; allowed: {List(Policy.Headers, "(none)")}",
            RejectionReason.MethodMalformed => $"Access-Control-Request-Method is not a method name; policy '{policy}' refused the preflight",
            RejectionReason.HeadersMalformed => $"Access-Control-Request-Headers is not a list of header names; policy '{policy}' refused the preflight",
            RejectionReason.PrivateNetworkNotAllowed => $"private network access is not allowed by policy '{policy}'",
            _ => Reason.ToString(),
        };

        static string List(IReadOnlyList<string> items, string none) => items.Count == 0 ? none : string.Join(", ", items);
    }

    private static bool IsOriginShaped(string origin) => origin == Origin.Null || Origin.IsSerializedTupleOrigin(origin);
}

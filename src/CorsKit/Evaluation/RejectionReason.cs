namespace CorsKit.Evaluation;

/// <summary>Why a CORS request was rejected.</summary>
public enum RejectionReason
{
    /// <summary>Not rejected.</summary>
    None,

    /// <summary>The origin is not allowed by the policy. No CORS headers are sent.</summary>
    OriginNotAllowed,

    /// <summary>The <c>Origin</c> value is not a serialized origin (several values, wrong case, default port, path, control bytes, too long). No CORS headers are sent.</summary>
    OriginMalformed,

    /// <summary>The origin predicate threw or timed out, or a regular expression timed out; refused (fail closed). No CORS headers are sent.</summary>
    OriginCheckFailed,

    /// <summary>The preflight asked for a method the policy does not allow. The policy's own lists are sent so the browser names the method.</summary>
    MethodNotAllowed,

    /// <summary>The preflight asked for a header the policy does not allow. The policy's own lists are sent so the browser names the header.</summary>
    HeaderNotAllowed,

    /// <summary><c>Access-Control-Request-Method</c> is not a method token. No CORS headers are sent.</summary>
    MethodMalformed,

    /// <summary><c>Access-Control-Request-Headers</c> is not a comma-separated list of header names. No CORS headers are sent.</summary>
    HeadersMalformed,

    /// <summary>The preflight asked for private network access, which the policy does not allow.</summary>
    PrivateNetworkNotAllowed,
}

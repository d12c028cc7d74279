namespace CorsKit.AspNetCore.Metrics;

/// <summary>What user code ran under the bulkhead: the <c>corskit.user_code.kind</c> tag.</summary>
internal enum UserCodeKind
{
    /// <summary>A policy's origin predicate (<c>WithOriginPredicate</c>): <c>origin_predicate</c>.</summary>
    OriginPredicate,

    /// <summary>A policy provider (<c>AddPolicyProvider</c>): <c>policy_provider</c>.</summary>
    PolicyProvider,
}

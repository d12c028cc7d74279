using CorsPolicy = CorsKit.Policies.CorsPolicy;

namespace CorsKit.AspNetCore.Metadata;

/// <summary>
/// Endpoint metadata naming the CorsKit policy of an endpoint or route group, or carrying an inline one.
/// 
/// </summary>
public sealed class CorsPolicyMetadata : ICorsKitMetadata
{
    /// <summary>Names a registered policy.</summary>
    /// <param name="policyName">The policy's name.</param>
    public CorsPolicyMetadata(string policyName)
    {
        ArgumentException.ThrowIfNullOrEmpty(policyName);
        PolicyName = policyName;
    }

    /// <summary>Carries an inline policy.</summary>
    /// <param name="policy">The policy.</param>
    public CorsPolicyMetadata(CorsPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        Policy = policy;
    }

    /// <summary>The registered policy's name, or <see langword="null"/> for an inline policy.</summary>
    public string? PolicyName { get; }

    /// <summary>The inline policy, or <see langword="null"/>.</summary>
    public CorsPolicy? Policy { get; }
}

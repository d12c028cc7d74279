using CorsPolicy = CorsKit.Policies.CorsPolicy;

namespace CorsKit.AspNetCore.Providers;

/// <summary>What applies to an endpoint: a policy fixed at startup, a provider that chooses one per request, or neither (no CORS).</summary>
internal readonly struct ResolvedPolicy
{
    public ResolvedPolicy(CorsPolicy policy) => Policy = policy;

    public ResolvedPolicy(PolicyProvider provider) => Provider = provider;

    public CorsPolicy? Policy { get; }

    public PolicyProvider? Provider { get; }

    /// <summary>Whether both stand for the same policy (or provider), or both for no CORS.</summary>
    public bool SameAs(ResolvedPolicy other) => ReferenceEquals(Policy, other.Policy) && ReferenceEquals(Provider, other.Provider);
}

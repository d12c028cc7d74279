using CorsKit.AspNetCore.Providers;
using Microsoft.AspNetCore.Http;

namespace CorsKit.AspNetCore.Preflights;

/// <summary>
/// Metadata of an endpoint that answers preflights: the endpoint whose policy the preflight gets (the one the actual
/// request reaches), or none for a path that has no endpoint (the default policy), and that policy, resolved once per
/// policy set (at startup, then once after each configuration reload).
/// </summary>
internal sealed class PreflightTarget(Endpoint? endpoint, CorsPolicyRegistry policies)
{
    // The last resolution, replaced whole: a reader sees a set and the policy resolved in it, never one without the other.
    private Resolution _last = new(policies.Current, policies.Resolve(endpoint, policies.Current));

    /// <summary>The endpoint whose policy and hooks apply.</summary>
    public Endpoint? Endpoint { get; } = endpoint;

    /// <summary>Its policy (or provider) in <paramref name="set"/>, as <see cref="CorsPolicyRegistry.Resolve(Endpoint?, CorsPolicySet)"/> gives it.</summary>
    public ResolvedPolicy PolicyIn(CorsPolicySet set)
    {
        var last = Volatile.Read(ref _last);
        if (ReferenceEquals(last.Set, set))
        {
            return last.Policy;
        }

        var policy = policies.Resolve(Endpoint, set);
        Volatile.Write(ref _last, new Resolution(set, policy));
        return policy;
    }

    private sealed record Resolution(CorsPolicySet Set, ResolvedPolicy Policy);
}

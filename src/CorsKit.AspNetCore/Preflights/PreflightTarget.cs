using CorsKit.AspNetCore.Providers;
using Microsoft.AspNetCore.Http;

namespace CorsKit.AspNetCore.Preflights;

/// <summary>
/// Metadata of an endpoint that answers preflights: the endpoint whose policy the preflight gets (the one the actual
/// request reaches), or none for a path that has no endpoint (the default policy), and that policy, resolved once.
/// </summary>
internal sealed class PreflightTarget(Endpoint? endpoint, ResolvedPolicy policy)
{
    /// <summary>The endpoint whose policy and hooks apply.</summary>
    public Endpoint? Endpoint { get; } = endpoint;

    /// <summary>Its policy (or provider), as <see cref="CorsPolicyRegistry.Resolve"/> gives it: policies are fixed at startup.</summary>
    public ResolvedPolicy Policy { get; } = policy;
}

using Microsoft.AspNetCore.Http;

namespace CorsKit.AspNetCore.Preflights;

/// <summary>
/// Metadata of an endpoint that answers preflights: the endpoint whose policy the preflight gets (the one the actual
/// request reaches), or none for a path that has no endpoint (the default policy).
/// </summary>
internal sealed class PreflightTarget(Endpoint? endpoint)
{
    /// <summary>The endpoint whose policy and hooks apply.</summary>
    public Endpoint? Endpoint { get; } = endpoint;
}

using System.Collections.Concurrent;
using CorsKit.AspNetCore.Metadata;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CorsKit.AspNetCore.Preflights;

/// <summary>
/// The endpoints routing sends preflights to: one per application endpoint (its preflight twin), made once when routing
/// builds its tables. A twin has the route pattern, order and host of its endpoint, so routing matches it exactly as it
/// would match the actual request, but none of its other metadata, and it short-circuits: routing runs it at once, so
/// neither authorization nor anything else between routing and the endpoints sees the preflight, and the application's
/// endpoint never runs. Its answer is only a status; <see cref="ResponseFinisher"/> writes the rest as the response starts.
/// </summary>
internal sealed class PreflightEndpoints
{
    /// <summary>What every preflight endpoint runs: the response is finished (status, hooks, CORS headers) as it starts.</summary>
    public static readonly RequestDelegate Answer = static context =>
    {
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    };

    /// <summary>An endpoint whose policy is "no CORS", for paths whose endpoints do not agree on one policy.</summary>
    private static readonly Endpoint NoCors = new(null, new EndpointMetadataCollection(NoCorsMetadata.Instance), "CORS off");

    private readonly ConcurrentDictionary<Endpoint, Endpoint> _twins = new();
    private readonly CorsPolicyRegistry _policies;

    public PreflightEndpoints(CorsPolicyRegistry policies)
    {
        _policies = policies;
        Unrouted = Create(null, "CORS preflight (no endpoint)");
        Refused = Create(NoCors, "CORS preflight (endpoints disagree on the policy)");
    }

    /// <summary>Answers a preflight to a path without endpoints (or an app without routing): the default policy applies.</summary>
    public Endpoint Unrouted { get; }

    /// <summary>Answers a preflight without CORS headers: its endpoints do not agree on one policy.</summary>
    public Endpoint Refused { get; }

    /// <summary>Whether this endpoint answers a preflight.</summary>
    public static bool Answers(Endpoint? endpoint) => ReferenceEquals(endpoint?.RequestDelegate, Answer);

    /// <summary>The target of a preflight endpoint (one <see cref="Answers"/> is true for).</summary>
    /// <remarks>The target is the endpoint's first metadata item: read by index, not through the metadata's type cache.</remarks>
    public static PreflightTarget TargetOf(Endpoint endpoint) => (PreflightTarget)endpoint.Metadata[0];

    /// <summary>The preflight twin of an application endpoint.</summary>
    public Endpoint TwinOf(Endpoint endpoint) => _twins.GetOrAdd(endpoint, e => Create(e, "CORS preflight for " + e.DisplayName));

    /// <summary>
    /// Answers preflights whose method no endpoint of the path accepts (the actual request gets a 405): the policy the
    /// path's endpoints share; if they name different policies, no CORS (a refusal rather than a guess).
    /// </summary>
    public Endpoint MethodNotAllowed(IReadOnlyList<Endpoint> pathEndpoints) => Create(PolicyOfPath(pathEndpoints), "CORS preflight (405)");

    /// <summary>The endpoint whose policy the path's endpoints share, or one without CORS when they differ.</summary>
    public Endpoint PolicyOfPath(IReadOnlyList<Endpoint> endpoints)
    {
        var first = _policies.Resolve(endpoints[0]);
        for (var i = 1; i < endpoints.Count; i++)
        {
            if (!_policies.Resolve(endpoints[i]).SameAs(first))
            {
                return NoCors;
            }
        }

        return endpoints[0];
    }

    private Endpoint Create(Endpoint? target, string displayName)
    {
        var metadata = new List<object> { new PreflightTarget(target, _policies.Resolve(target)) };
        if (target?.Metadata.GetMetadata<IHostMetadata>() is { } host)
        {
            metadata.Add(host); // routing narrows by host after this policy: the twin must match the same hosts
        }

        // ShortCircuit's metadata type is internal: collect what the public convention adds.
        var conventions = new Conventions();
        conventions.ShortCircuit();
        conventions.Apply(metadata);

        return target is RouteEndpoint route
            ? new RouteEndpoint(Answer, route.RoutePattern, route.Order, new EndpointMetadataCollection(metadata), displayName)
            : new Endpoint(Answer, new EndpointMetadataCollection(metadata), displayName);
    }

    private sealed class Conventions : IEndpointConventionBuilder
    {
        private readonly List<Action<EndpointBuilder>> _conventions = [];

        public void Add(Action<EndpointBuilder> convention) => _conventions.Add(convention);

        public void Apply(List<object> metadata)
        {
            var builder = new RouteEndpointBuilder(Answer, Microsoft.AspNetCore.Routing.Patterns.RoutePatternFactory.Parse("/"), 0);
            foreach (var convention in _conventions)
            {
                convention(builder);
            }

            metadata.AddRange(builder.Metadata);
        }
    }
}

using System.Collections.Concurrent;
using CorsKit.AspNetCore.Metadata;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CorsKit.AspNetCore.Preflights;

/// <summary>
/// The endpoints routing sends preflights to, made once per application endpoint when routing builds its tables. Each
/// has the route pattern and order of its endpoint (and its host), so routing matches it exactly as it would match the
/// actual request. What it does depends on the endpoint's policy:
/// - usually it is an answering twin: none of the endpoint's other metadata, and it short-circuits, so neither
///   authorization nor anything else between routing and the endpoints sees the preflight, and the application's endpoint
///   never runs. Its answer is only a status; <see cref="ResponseFinisher"/> writes the rest as the response starts;
/// - for a policy that passes preflights on, the preflight goes to the path's own OPTIONS endpoints as they are, without
///   their HTTP method rule (passing twins), through the rest of the pipeline: never to the endpoint of the announced
///   method, which would run for it;
/// - for a dynamic endpoint (whose real target is chosen later, such as MVC's fallback to a controller), the twin answers
///   without CORS: its policy cannot be known here.
/// </summary>
internal sealed class PreflightEndpoints
{
    /// <summary>What every answering twin runs: the response is finished (status, hooks, CORS headers) as it starts.</summary>
    public static readonly RequestDelegate Answer = static context =>
    {
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    };

    /// <summary>An endpoint whose policy is "no CORS".</summary>
    private static readonly Endpoint NoCors = new(null, new EndpointMetadataCollection(NoCorsMetadata.Instance), "CORS off");

    private readonly ConcurrentDictionary<Endpoint, Endpoint> _twins = new();
    private readonly ConcurrentDictionary<Endpoint, Endpoint> _passing = new();
    private readonly CorsPolicyRegistry _policies;

    public PreflightEndpoints(CorsPolicyRegistry policies)
    {
        _policies = policies;
        Unrouted = Create(null, null, "CORS preflight (no endpoint)", withHost: false);
        Refused = Create(null, NoCors, "CORS preflight (endpoints disagree on the policy)", withHost: false);
    }

    /// <summary>Answers a preflight to a path without endpoints (or an app without routing): the default policy applies.</summary>
    public Endpoint Unrouted { get; }

    /// <summary>Answers a preflight without CORS headers: its endpoints do not agree on one policy.</summary>
    public Endpoint Refused { get; }

    /// <summary>Whether this endpoint answers a preflight.</summary>
    public static bool Answers(Endpoint? endpoint) => ReferenceEquals(endpoint?.RequestDelegate, Answer);

    /// <summary>The target of an answering twin (one <see cref="Answers"/> is true for).</summary>
    /// <remarks>The target is the endpoint's first metadata item: read by index, not through the metadata's type cache.</remarks>
    public static PreflightTarget TargetOf(Endpoint endpoint) => (PreflightTarget)endpoint.Metadata[0];

    /// <summary>
    /// Where a preflight whose actual request reaches <paramref name="endpoint"/> goes, among the endpoints of its path:
    /// its answering twin; or, when its policy passes preflights on, the path's own OPTIONS endpoints as they are (their
    /// answering twin if the path has none); or, for a dynamic endpoint, a twin that answers without CORS.
    /// </summary>
    public IEnumerable<Endpoint> PreflightOf(Endpoint endpoint, IReadOnlyList<Endpoint> pathEndpoints)
    {
        if (endpoint.Metadata.GetMetadata<IDynamicEndpointMetadata>() is { IsDynamic: true })
        {
            return [_twins.GetOrAdd(endpoint, e => Create(e, NoCors, "CORS preflight for " + e.DisplayName + " (dynamic: no CORS)", withHost: true))];
        }

        return _policies.Resolve(endpoint).Policy is { PreflightPassthrough: true } ? PassedOn(endpoint, pathEndpoints) : [TwinOf(endpoint)];
    }

    /// <summary>
    /// Answers preflights whose method no endpoint of the path accepts (the actual request gets a 405): the policy the
    /// path's endpoints share; if they name different policies, no CORS (a refusal rather than a guess). It matches any
    /// host (the path's endpoints may be on several), and captures the route values of the path's first endpoint.
    /// </summary>
    /// <param name="policy">The endpoint whose policy applies: <see cref="PolicyOfPath"/>'s answer for the path.</param>
    /// <param name="pathEndpoints">The path's endpoints.</param>
    public IEnumerable<Endpoint> MethodNotAllowed(Endpoint policy, IReadOnlyList<Endpoint> pathEndpoints) =>
        _policies.Resolve(policy).Policy is { PreflightPassthrough: true }
            ? PassedOn(policy, pathEndpoints)
            : [Create(pathEndpoints[0], policy, "CORS preflight (405)", withHost: false)];

    // The endpoint's answering twin.
    private Endpoint TwinOf(Endpoint endpoint) => _twins.GetOrAdd(endpoint, e => Create(e, e, "CORS preflight for " + e.DisplayName, withHost: true));

    // A policy that passes preflights on: the preflight is the OPTIONS request it is, so it goes to the path's endpoints
    // that accept OPTIONS (never to the endpoint of the announced method, which would run for it), or, where none does,
    // CorsKit answers it from the policy.
    private IEnumerable<Endpoint> PassedOn(Endpoint endpoint, IReadOnlyList<Endpoint> pathEndpoints)
    {
        var handlers = pathEndpoints.Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods is { } methods
            && methods.Contains(HttpMethods.Options, StringComparer.OrdinalIgnoreCase)).ToList();
        return handlers.Count > 0
            ? handlers.Select(e => _passing.GetOrAdd(e, Passing))
            : [Create(endpoint is RouteEndpoint ? endpoint : pathEndpoints[0], endpoint, "CORS preflight for " + endpoint.DisplayName, withHost: true)];
    }

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

    // An answering twin: matched like `routed` (its pattern, order and host), answering with the policy of `target`.
    private Endpoint Create(Endpoint? routed, Endpoint? target, string displayName, bool withHost)
    {
        var metadata = new List<object> { new PreflightTarget(target, _policies) };
        if (withHost && routed?.Metadata.GetMetadata<IHostMetadata>() is { } host)
        {
            metadata.Add(host); // routing narrows by host after this policy: the twin must match the same hosts
        }

        // ShortCircuit's metadata type is internal: collect what the public convention adds.
        var conventions = new Conventions();
        conventions.ShortCircuit();
        conventions.Apply(metadata);

        return routed is RouteEndpoint route
            ? new RouteEndpoint(Answer, route.RoutePattern, route.Order, new EndpointMetadataCollection(metadata), displayName)
            : new Endpoint(Answer, new EndpointMetadataCollection(metadata), displayName);
    }

    // A passing twin: an OPTIONS endpoint with all its metadata (authorization, filters) but no HTTP method rule (routing
    // has already chosen by the announced method), run through the rest of the pipeline.
    private static Endpoint Passing(Endpoint endpoint)
    {
        var metadata = new EndpointMetadataCollection(endpoint.Metadata.Where(m => m is not IHttpMethodMetadata));
        return endpoint is RouteEndpoint route
            ? new RouteEndpoint(route.RequestDelegate!, route.RoutePattern, route.Order, metadata, route.DisplayName)
            : new Endpoint(endpoint.RequestDelegate, metadata, endpoint.DisplayName);
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

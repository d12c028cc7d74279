using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;

namespace CorsKit.AspNetCore.Preflights;

/// <summary>
/// Routes a CORS preflight inside the application's own routing, wherever the app runs it (after <c>UsePathBase</c>,
/// rewriters, forwarded headers, in a <c>Map</c> branch), to the endpoint its actual request would reach.
/// Ordered just before ASP.NET Core's HTTP method policy, it splits each path's endpoints in two:
/// 1. a request that is not a preflight goes on to the endpoints unchanged (one table lookup, nothing allocated);
/// 2. a preflight goes to the preflight twins (<see cref="PreflightEndpoints"/>) of the endpoints that accept its
///    <c>Access-Control-Request-Method</c> (as the method policy would choose for that method), or, when none does, to
///    those that accept any method, or else to one that answers with the policy of the path (the actual request gets 405).
/// Routing then narrows the twins by host and route constraints as for any request. A twin answers with its endpoint's
/// policy, or passes the preflight on to its endpoint, or (a dynamic endpoint) answers without CORS: see
/// <see cref="PreflightEndpoints"/>.
/// When two twins remain equally good, or the best one's endpoint is chosen only for some content types (which a preflight
/// does not carry), the preflight is answered by the best only if their policies agree, else without CORS.
/// For a request that is not a preflight and that no endpoint of the path accepts (routing answers 405), the path's
/// policy is noted for <see cref="RoutedEndpoint"/>, so the 405 carries the policy its preflight got.
/// </summary>
internal sealed class PreflightMatcherPolicy(PreflightEndpoints preflights, CorsPolicyRegistry policies, CorsKitRuntime runtime)
    : MatcherPolicy, INodeBuilderPolicy, IEndpointSelectorPolicy
{
    /// <summary>Just before <see cref="HttpMethodMatcherPolicy"/> (-1000).</summary>
    public override int Order => -1001;

    bool INodeBuilderPolicy.AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints)
    {
        return runtime.Enabled && endpoints.Count > 0;
    }

    public IReadOnlyList<PolicyNodeEdge> GetEdges(IReadOnlyList<Endpoint> endpoints)
    {
        var methods = new List<string>();
        var anyMethod = new List<Endpoint>();
        foreach (var endpoint in endpoints)
        {
            var accepted = MethodsOf(endpoint);
            if (accepted.Count == 0)
            {
                anyMethod.Add(endpoint);
            }

            foreach (var method in accepted)
            {
                if (!methods.Contains(method, StringComparer.OrdinalIgnoreCase))
                {
                    methods.Add(method);
                }
            }
        }

        // Where no endpoint accepts any method, a method none lists gets a 405: answered with the path's policy.
        var methodNotAllowed = anyMethod.Count == 0 ? preflights.PolicyOfPath(endpoints) : null;
        var edges = new List<PolicyNodeEdge>
        {
            new(new Edge(null, Preflight: false, methods.ToArray(), methodNotAllowed), endpoints),
        };
        foreach (var method in methods)
        {
            var twins = endpoints.Where(e => Accepts(e, method)).SelectMany(e => preflights.PreflightOf(e, endpoints)).Distinct().ToArray();
            edges.Add(new PolicyNodeEdge(new Edge(method, Preflight: true, [], null), twins));
        }

        var otherwise = methodNotAllowed is null
            ? anyMethod.SelectMany(e => preflights.PreflightOf(e, endpoints)).Distinct().ToArray()
            : preflights.MethodNotAllowed(methodNotAllowed, endpoints).ToArray();
        edges.Add(new PolicyNodeEdge(new Edge(null, Preflight: true, [], null), otherwise));
        return edges;
    }

    public PolicyJumpTable BuildJumpTable(int exitDestination, IReadOnlyList<PolicyJumpTableEdge> edges)
    {
        var notPreflight = exitDestination;
        var otherPreflight = exitDestination;
        string[] methods = [];
        Endpoint? methodNotAllowed = null;
        var byMethod = new List<(string, int)>();
        foreach (var edge in edges)
        {
            var state = (Edge)edge.State;
            if (!state.Preflight)
            {
                notPreflight = edge.Destination;
                methods = state.Methods;
                methodNotAllowed = state.MethodNotAllowed;
            }
            else if (state.Method is { } method)
            {
                byMethod.Add((method, edge.Destination));
            }
            else
            {
                otherPreflight = edge.Destination;
            }
        }

        return new PreflightJumpTable(notPreflight, methods, methodNotAllowed, [.. byMethod], otherPreflight);
    }

    // Nodes of a preflight edge only (they hold answering twins), with two or more endpoints.
    bool IEndpointSelectorPolicy.AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints) =>
        endpoints.Count > 1 && endpoints.Any(PreflightEndpoints.Answers);

    // Only nodes holding two or more answering twins. The best valid one answers if every equally good one agrees on the
    // policy; and if its endpoint is chosen only for some requests (it accepts only some content types), every valid one
    // must agree, since the actual request may go to any of them.
    public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
    {
        var best = -1;
        var agree = true;
        var set = policies.Current; // one policy set for every comparison, even if configuration reloads meanwhile
        var conditional = false;
        for (var i = 0; i < candidates.Count; i++)
        {
            if (!candidates.IsValidCandidate(i))
            {
                continue;
            }

            if (best < 0)
            {
                best = i;
                conditional = IsConditional(candidates[i].Endpoint);
                continue;
            }

            if (conditional || candidates[i].Score == candidates[best].Score)
            {
                agree &= PolicyOf(candidates[i].Endpoint, set).SameAs(PolicyOf(candidates[best].Endpoint, set));
            }

            candidates.SetValidity(i, false);
        }

        if (best >= 0 && !agree)
        {
            candidates.ReplaceEndpoint(best, preflights.Refused, candidates[best].Values);
        }

        return Task.CompletedTask;
    }

    // Answering twins compare their targets' resolved policies; a passing twin resolves its own metadata.
    private Providers.ResolvedPolicy PolicyOf(Endpoint endpoint, CorsPolicySet set) =>
        PreflightEndpoints.Answers(endpoint) ? PreflightEndpoints.TargetOf(endpoint).PolicyIn(set) : policies.Resolve(endpoint, set);

    // An endpoint that other routing rules pick only for some requests of its path and method, by what a preflight does not
    // carry: the content type.
    private static bool IsConditional(Endpoint twin) =>
        (PreflightEndpoints.Answers(twin) ? PreflightEndpoints.TargetOf(twin).Endpoint : twin)?.Metadata.GetMetadata<IAcceptsMetadata>() is not null;

    private static IReadOnlyList<string> MethodsOf(Endpoint endpoint) =>
        endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [];

    private static bool Accepts(Endpoint endpoint, string method)
    {
        var methods = MethodsOf(endpoint);
        return methods.Count == 0 || methods.Contains(method, StringComparer.OrdinalIgnoreCase);
    }

    // The edge's state: not a preflight (with the path's methods), a preflight for one method, or for any other.
    private sealed record Edge(string? Method, bool Preflight, string[] Methods, Endpoint? MethodNotAllowed)
    {
        public override string ToString() => Preflight ? $"CORS preflight: {Method ?? "*"}" : "not a CORS preflight";
    }
}

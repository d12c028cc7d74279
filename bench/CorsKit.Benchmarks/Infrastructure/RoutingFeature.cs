using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;

namespace CorsKit.Benchmarks.Infrastructure;

/// <summary>The endpoint and route values of the current request; Kestrel's <c>HttpProtocol</c> carries both the same way.</summary>
internal sealed class RoutingFeature : IEndpointFeature, IRouteValuesFeature
{
    public Endpoint? Endpoint { get; set; }

    public RouteValueDictionary RouteValues { get; set; } = [];

    public void Reset()
    {
        Endpoint = null;
        RouteValues.Clear();
    }
}

using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http.Features;

namespace CorsKit.Benchmarks.Infrastructure;

/// <summary>
/// The feature collection of one connection, like Kestrel's: the server's features in fields (a type test, not a
/// dictionary lookup, for <c>HttpContext.GetEndpoint()</c> and the like), anything else the app adds kept aside.
/// Unlike Kestrel, features the app adds lazily (items, query) are kept between requests rather than made anew.
/// </summary>
internal sealed class ServerFeatures : IFeatureCollection
{
    private readonly Dictionary<Type, object> _extra = [];
    private IHttpRequestFeature? _request;
    private IHttpResponseFeature? _response;
    private IHttpResponseBodyFeature? _responseBody;
    private IEndpointFeature? _endpoint;
    private IRouteValuesFeature? _routeValues;
    private IItemsFeature? _items;
    private IServiceProvidersFeature? _services;
    private IHttpRequestLifetimeFeature? _lifetime;

    public bool IsReadOnly => false;

    public int Revision { get; private set; }

    public object? this[Type key]
    {
        get =>
            key == typeof(IHttpRequestFeature) ? _request
            : key == typeof(IHttpResponseFeature) ? _response
            : key == typeof(IHttpResponseBodyFeature) ? _responseBody
            : key == typeof(IEndpointFeature) ? _endpoint
            : key == typeof(IRouteValuesFeature) ? _routeValues
            : key == typeof(IItemsFeature) ? _items
            : key == typeof(IServiceProvidersFeature) ? _services
            : key == typeof(IHttpRequestLifetimeFeature) ? _lifetime
            : _extra.Count == 0 ? null : _extra.GetValueOrDefault(key);
        set
        {
            Revision++;
            if (key == typeof(IHttpRequestFeature)) { _request = (IHttpRequestFeature?)value; }
            else if (key == typeof(IHttpResponseFeature)) { _response = (IHttpResponseFeature?)value; }
            else if (key == typeof(IHttpResponseBodyFeature)) { _responseBody = (IHttpResponseBodyFeature?)value; }
            else if (key == typeof(IEndpointFeature)) { _endpoint = (IEndpointFeature?)value; }
            else if (key == typeof(IRouteValuesFeature)) { _routeValues = (IRouteValuesFeature?)value; }
            else if (key == typeof(IItemsFeature)) { _items = (IItemsFeature?)value; }
            else if (key == typeof(IServiceProvidersFeature)) { _services = (IServiceProvidersFeature?)value; }
            else if (key == typeof(IHttpRequestLifetimeFeature)) { _lifetime = (IHttpRequestLifetimeFeature?)value; }
            else if (value is null) { _extra.Remove(key); }
            else { _extra[key] = value; }
        }
    }

    // As Kestrel's generated collection does: a type test per known feature, no cast (Unsafe.As), no dictionary.
    public TFeature? Get<TFeature>()
    {
        if (typeof(TFeature) == typeof(IEndpointFeature))
        {
            return Unsafe.As<IEndpointFeature?, TFeature?>(ref _endpoint);
        }

        if (typeof(TFeature) == typeof(IRouteValuesFeature))
        {
            return Unsafe.As<IRouteValuesFeature?, TFeature?>(ref _routeValues);
        }

        if (typeof(TFeature) == typeof(IHttpRequestFeature))
        {
            return Unsafe.As<IHttpRequestFeature?, TFeature?>(ref _request);
        }

        if (typeof(TFeature) == typeof(IHttpResponseFeature))
        {
            return Unsafe.As<IHttpResponseFeature?, TFeature?>(ref _response);
        }

        return (TFeature?)this[typeof(TFeature)];
    }

    public void Set<TFeature>(TFeature? instance) => this[typeof(TFeature)] = instance;

    public IEnumerator<KeyValuePair<Type, object>> GetEnumerator()
    {
        foreach (var (type, feature) in Known())
        {
            if (feature is not null)
            {
                yield return new(type, feature);
            }
        }

        foreach (var pair in _extra)
        {
            yield return pair;
        }
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    private (Type, object?)[] Known() =>
    [
        (typeof(IHttpRequestFeature), _request), (typeof(IHttpResponseFeature), _response), (typeof(IHttpResponseBodyFeature), _responseBody),
        (typeof(IEndpointFeature), _endpoint), (typeof(IRouteValuesFeature), _routeValues), (typeof(IItemsFeature), _items),
        (typeof(IServiceProvidersFeature), _services), (typeof(IHttpRequestLifetimeFeature), _lifetime),
    ];
}

using CorsKit.AspNetCore.Hooks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Microsoft.AspNetCore.Builder;

/// <summary><c>.AfterRequest(...)</c> on an endpoint, a route group or controllers: Flask's blueprint <c>after_request</c>.</summary>
public static class AfterRequestEndpointConventionBuilderExtensions
{
    /// <summary>
    /// Runs <paramref name="hook"/> on every response of the endpoint(s) or group (their errors and preflights included), once,
    /// just before the response starts: after <c>context.AfterThisRequest</c> callbacks, before outer groups' and the app's
    /// hooks, and before CorsKit writes the CORS headers. An exception in it is logged and the response still goes out.
    /// </summary>
    /// <typeparam name="TBuilder">The endpoint, group or controller convention builder.</typeparam>
    /// <param name="builder">The endpoint(s) or group.</param>
    /// <param name="hook">Changes the response.</param>
    public static TBuilder AfterRequest<TBuilder>(this TBuilder builder, Action<HttpContext> hook)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        return Add(builder, new AfterRequestHook(hook, ScopeOf(builder)));
    }

    /// <summary>The asynchronous form of <see cref="AfterRequest{TBuilder}(TBuilder, Action{HttpContext})"/>.</summary>
    /// <typeparam name="TBuilder">The endpoint, group or controller convention builder.</typeparam>
    /// <param name="builder">The endpoint(s) or group.</param>
    /// <param name="hook">Changes the response.</param>
    public static TBuilder AfterRequest<TBuilder>(this TBuilder builder, Func<HttpContext, Task> hook)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        return Add(builder, new AfterRequestHook(hook, ScopeOf(builder)));
    }

    private static TBuilder Add<TBuilder>(TBuilder builder, AfterRequestHook hook)
        where TBuilder : IEndpointConventionBuilder
    {
        return builder.WithMetadata(new AfterRequestMetadata(hook));
    }

    private static AfterRequestScope ScopeOf(IEndpointConventionBuilder builder) =>
        builder is RouteGroupBuilder ? AfterRequestScope.Group : AfterRequestScope.Endpoint;
}

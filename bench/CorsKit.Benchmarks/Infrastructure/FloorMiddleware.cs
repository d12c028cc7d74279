using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace CorsKit.Benchmarks.Infrastructure;

/// <summary>
/// The floor: the least any CORS layer can cost for one scenario. A hand-written middleware, outermost (where CorsKit
/// runs), that sends CorsKit's recorded answer (<see cref="FloorResponse"/>) from precomputed values: no policy lookup,
/// no routing, no evaluation, no OnStarting callback (the endpoints write no headers, so writing before them gives the
/// same response). The one check is an ordinal comparison of <c>Origin</c> with the one origin it answers, and for a
/// preflight that the request is an <c>OPTIONS</c> with <c>Access-Control-Request-Method</c>: without them it would
/// not be a CORS layer but a header stamp. Known headers go through Kestrel's typed properties, as any hand-written
/// middleware would set them.
/// </summary>
public sealed class FloorMiddleware
{
    private readonly RequestDelegate _next;
    private readonly string _origin;
    private readonly int? _answeredStatus;
    private readonly StringValues _allowOrigin;
    private readonly StringValues _allowCredentials;
    private readonly StringValues _allowMethods;
    private readonly StringValues _allowHeaders;
    private readonly StringValues _exposeHeaders;
    private readonly StringValues _maxAge;
    private readonly StringValues _vary;

    public FloorMiddleware(RequestDelegate next, FloorResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        _next = next;
        _origin = response.Origin;
        _answeredStatus = response.AnsweredStatus;
        foreach (var (name, value) in response.Headers)
        {
            switch (name.ToUpperInvariant())
            {
                case "ACCESS-CONTROL-ALLOW-ORIGIN": _allowOrigin = value; break;
                case "ACCESS-CONTROL-ALLOW-CREDENTIALS": _allowCredentials = value; break;
                case "ACCESS-CONTROL-ALLOW-METHODS": _allowMethods = value; break;
                case "ACCESS-CONTROL-ALLOW-HEADERS": _allowHeaders = value; break;
                case "ACCESS-CONTROL-EXPOSE-HEADERS": _exposeHeaders = value; break;
                case "ACCESS-CONTROL-MAX-AGE": _maxAge = value; break;
                case "VARY": _vary = value; break;
                default: throw new InvalidOperationException($"the floor does not know how to send '{name}', which CorsKit sent");
            }
        }
    }

    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!string.Equals(request.Headers.Origin, _origin, StringComparison.Ordinal))
        {
            return _next(context);
        }

        if (_answeredStatus is { } status)
        {
            if (!HttpMethods.IsOptions(request.Method) || request.Headers.AccessControlRequestMethod.Count == 0)
            {
                return _next(context);
            }

            context.Response.StatusCode = status;
            Write(context.Response.Headers);
            return Task.CompletedTask;
        }

        Write(context.Response.Headers);
        return _next(context);
    }

    private void Write(IHeaderDictionary headers)
    {
        headers.AccessControlAllowOrigin = _allowOrigin;
        if (_allowCredentials.Count > 0)
        {
            headers.AccessControlAllowCredentials = _allowCredentials;
        }

        if (_allowMethods.Count > 0)
        {
            headers.AccessControlAllowMethods = _allowMethods;
        }

        if (_allowHeaders.Count > 0)
        {
            headers.AccessControlAllowHeaders = _allowHeaders;
        }

        if (_exposeHeaders.Count > 0)
        {
            headers.AccessControlExposeHeaders = _exposeHeaders;
        }

        if (_maxAge.Count > 0)
        {
            headers.AccessControlMaxAge = _maxAge;
        }

        if (_vary.Count > 0)
        {
            headers.Vary = _vary;
        }
    }
}

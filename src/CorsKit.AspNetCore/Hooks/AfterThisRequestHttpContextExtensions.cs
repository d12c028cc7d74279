using CorsKit.AspNetCore.Hooks;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Http;

/// <summary><c>context.AfterThisRequest(...)</c>: Flask's <c>after_this_request</c>, a hook for this one response.</summary>
public static class AfterThisRequestHttpContextExtensions
{
    /// <summary>
    /// Runs <paramref name="hook"/> once, just before this request's response starts, whatever writes it (the endpoint, an
    /// exception handler, CorsKit's 500): first of all hooks, in the order added. An exception in it is logged and the
    /// response still goes out.
    /// </summary>
    /// <param name="context">The request's context.</param>
    /// <param name="hook">Changes the response.</param>
    /// <exception cref="InvalidOperationException">The response has started, or CorsKit is not registered.</exception>
    public static void AfterThisRequest(this HttpContext context, Action<HttpContext> hook)
    {
        ArgumentNullException.ThrowIfNull(context);
        Feature(context).Hooks.Add(new AfterRequestHook(hook, AfterRequestScope.Request));
    }

    /// <summary>The asynchronous form of <see cref="AfterThisRequest(HttpContext, Action{HttpContext})"/>.</summary>
    /// <param name="context">The request's context.</param>
    /// <param name="hook">Changes the response.</param>
    /// <exception cref="InvalidOperationException">The response has started, or CorsKit is not registered.</exception>
    public static void AfterThisRequest(this HttpContext context, Func<HttpContext, Task> hook)
    {
        ArgumentNullException.ThrowIfNull(context);
        Feature(context).Hooks.Add(new AfterRequestHook(hook, AfterRequestScope.Request));
    }

    private static AfterThisRequestFeature Feature(HttpContext context)
    {
        if (context.Response.HasStarted)
        {
            throw new InvalidOperationException("context.AfterThisRequest(...) was called after the response started; its headers can no longer be changed.");
        }

        if (context.Features.Get<AfterThisRequestFeature>() is { } feature)
        {
            return feature;
        }

        if (context.RequestServices.GetService<AfterRequestHooks>() is null)
        {
            throw new InvalidOperationException("context.AfterThisRequest(...) needs CorsKit, which runs the hooks: call builder.Services.AddCorsKit(...) and app.UseCorsKit().");
        }

        feature = new AfterThisRequestFeature();
        context.Features.Set(feature);
        return feature;
    }
}

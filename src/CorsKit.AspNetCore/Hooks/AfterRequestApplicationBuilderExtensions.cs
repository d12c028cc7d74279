using CorsKit.AspNetCore.Hooks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Builder;

/// <summary><c>app.AfterRequest(...)</c>: Flask's <c>@app.after_request</c>, a hook that may change every response before it starts.</summary>
public static class AfterRequestApplicationBuilderExtensions
{
    /// <summary>
    /// Runs <paramref name="hook"/> on every response of the app (errors, 404s and preflights CorsKit answers included), once,
    /// just before the response starts, after the endpoint's and groups' hooks and before CorsKit writes the CORS headers.
    /// An exception in it is logged and the response still goes out. Call it before the app starts.
    /// </summary>
    /// <param name="app">The application.</param>
    /// <param name="hook">Changes the response, for example <c>context =&gt; context.Response.Headers["X-Served-By"] = "api"</c>.</param>
    public static IApplicationBuilder AfterRequest(this IApplicationBuilder app, Action<HttpContext> hook)
    {
        ArgumentNullException.ThrowIfNull(app);
        Hooks(app).Add(new AfterRequestHook(hook, AfterRequestScope.App));
        return app;
    }

    /// <summary>The asynchronous form of <see cref="AfterRequest(IApplicationBuilder, Action{HttpContext})"/>.</summary>
    /// <param name="app">The application.</param>
    /// <param name="hook">Changes the response.</param>
    public static IApplicationBuilder AfterRequest(this IApplicationBuilder app, Func<HttpContext, Task> hook)
    {
        ArgumentNullException.ThrowIfNull(app);
        Hooks(app).Add(new AfterRequestHook(hook, AfterRequestScope.App));
        return app;
    }

    private static AfterRequestHooks Hooks(IApplicationBuilder app) =>
        app.ApplicationServices.GetService<AfterRequestHooks>()
        ?? throw new InvalidOperationException("app.AfterRequest(...) needs CorsKit's services: call builder.Services.AddCorsKit(...) first.");
}

using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CorsKit.AspNetCore.Hooks;

/// <summary>
/// The application's after-request hooks, and the one place that runs them. CorsKit runs them once per response, just
/// before it starts (in its <c>OnStarting</c> callback, or before answering a preflight itself), and writes the CORS
/// headers after them, so CorsKit has the last word on <c>Access-Control-*</c> and <c>Vary</c>. The order, as in Flask:
/// 1. <c>context.AfterThisRequest(...)</c> callbacks, in the order they were added;
/// 2. the endpoint's hooks, then its groups' (innermost first), then the app's; within one place the last added runs first.
/// A hook that throws is logged (event 20) and skipped; the others still run and the response still goes out.
/// </summary>
internal sealed class AfterRequestHooks
{
    private List<AfterRequestHook>? _registering = [];
    private AfterRequestHook[] _app = [];

    /// <summary>Adds an app-wide hook; only before the app starts.</summary>
    public void Add(AfterRequestHook hook) =>
        (_registering ?? throw new InvalidOperationException("app.AfterRequest(...) must be called before the app starts (before app.Run()); per-request hooks use context.AfterThisRequest(...)."))
        .Add(hook);

    /// <summary>Called once the pipeline is built: the app-wide hooks are fixed from now on.</summary>
    public void Freeze()
    {
        if (_registering is { } registering)
        {
            _app = [.. registering];
            _registering = null;
        }
    }

    /// <summary>Whether any hook applies to this response (allocates nothing).</summary>
    public bool Any(HttpContext context, Endpoint? endpoint) =>
        _app.Length > 0
        || context.Features.Get<AfterThisRequestFeature>() is not null
        || (endpoint is not null && endpoint.Metadata.GetOrderedMetadata<AfterRequestMetadata>().Count > 0);

    public async Task RunAsync(HttpContext context, Endpoint? endpoint, ILogger logger)
    {
        if (context.Features.Get<AfterThisRequestFeature>() is { } thisRequest)
        {
            // By index: a hook may add another, which then runs too (as in Flask).
            for (var i = 0; i < thisRequest.Hooks.Count; i++)
            {
                await InvokeAsync(thisRequest.Hooks[i], context, logger).ConfigureAwait(false);
            }
        }

        if (endpoint is not null)
        {
            // Metadata runs outer group, inner group, endpoint, each in the order added: read backwards for most specific first.
            var metadata = endpoint.Metadata.GetOrderedMetadata<AfterRequestMetadata>();
            for (var i = metadata.Count - 1; i >= 0; i--)
            {
                await InvokeAsync(metadata[i].Hook, context, logger).ConfigureAwait(false);
            }
        }

        for (var i = _app.Length - 1; i >= 0; i--)
        {
            await InvokeAsync(_app[i], context, logger).ConfigureAwait(false);
        }
    }

    private static async Task InvokeAsync(AfterRequestHook hook, HttpContext context, ILogger logger)
    {
        try
        {
            await hook.InvokeAsync(context).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.AfterRequestHookFailed(logger, ex, hook.Scope, hook.Name, context.Request.Method, LogValue.Safe(context.Request.Path.Value) ?? "/");
        }
    }
}

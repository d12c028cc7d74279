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
    private readonly LogBudget _failures;
    private List<AfterRequestHook>? _registering = [];

    public AfterRequestHooks(TimeProvider? time = null) => _failures = new LogBudget(LogLevel.Error, time ?? TimeProvider.System);
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

    /// <summary>
    /// Runs the hooks that apply to this response, in order. Synchronous hooks run without an async state machine, and
    /// with no hook anywhere this allocates nothing; the first hook that does not complete at once switches to awaiting
    /// the rest. The request's feature and the endpoint's metadata are looked up only once some request or endpoint in
    /// the process has used them.
    /// </summary>
    public Task RunAsync(HttpContext context, Endpoint? endpoint, ILogger logger)
    {
        var thisRequest = AfterThisRequestFeature.AnyCreated ? context.Features.Get<AfterThisRequestFeature>() : null;
        IReadOnlyList<AfterRequestMetadata> endpointHooks = endpoint is not null && AfterRequestMetadata.AnyCreated
            ? endpoint.Metadata.GetOrderedMetadata<AfterRequestMetadata>()
            : [];
        var cursor = default(Cursor);
        while (Next(ref cursor, thisRequest, endpointHooks) is { } hook)
        {
            var pending = Invoke(hook, context, logger);
            if (!pending.IsCompletedSuccessfully)
            {
                return ContinueAsync(pending, hook, cursor, thisRequest, endpointHooks, context, logger);
            }
        }

        return Task.CompletedTask;
    }

    private async Task ContinueAsync(
        Task pending,
        AfterRequestHook hook,
        Cursor cursor,
        AfterThisRequestFeature? thisRequest,
        IReadOnlyList<AfterRequestMetadata> endpointHooks,
        HttpContext context,
        ILogger logger)
    {
        while (true)
        {
            try
            {
                await pending.ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                LogFailure(hook, ex, context, logger);
            }

            if (Next(ref cursor, thisRequest, endpointHooks) is not { } next)
            {
                return;
            }

            hook = next;
            pending = Invoke(hook, context, logger);
        }
    }

    // The next hook in order: this request's, as added (one added meanwhile runs too, as in Flask); the endpoint's, then
    // its groups' (metadata lists outer group, inner group, endpoint, each in the order added: read backwards for most
    // specific first); the app's, last added first.
    private AfterRequestHook? Next(ref Cursor cursor, AfterThisRequestFeature? thisRequest, IReadOnlyList<AfterRequestMetadata> endpointHooks)
    {
        if (cursor.Stage == Stage.ThisRequest)
        {
            if (thisRequest is not null && cursor.Index < thisRequest.Hooks.Count)
            {
                return thisRequest.Hooks[cursor.Index++];
            }

            cursor = new Cursor(Stage.Endpoint, endpointHooks.Count - 1);
        }

        if (cursor.Stage == Stage.Endpoint)
        {
            if (cursor.Index >= 0)
            {
                return endpointHooks[cursor.Index--].Hook;
            }

            cursor = new Cursor(Stage.App, _app.Length - 1);
        }

        return cursor.Index >= 0 ? _app[cursor.Index--] : null;
    }

    // A hook that throws (at once, or through its task) is logged and skipped: the rest still run.
    private Task Invoke(AfterRequestHook hook, HttpContext context, ILogger logger)
    {
        try
        {
            return hook.InvokeAsync(context);
        }
        catch (Exception ex)
        {
            LogFailure(hook, ex, context, logger);
            return Task.CompletedTask;
        }
    }

    private void LogFailure(AfterRequestHook hook, Exception exception, HttpContext context, ILogger logger)
    {
        if (exception is OperationCanceledException && context.RequestAborted.IsCancellationRequested)
        {
            // The client went away while the hook waited on RequestAborted: not a fault of the hook, and nothing goes out.
            Log.RequestAborted(logger, context.Request.Method, LogValue.PathOf(context.Request), $"after-request hook '{hook.Name}'");
            return;
        }

        var level = _failures.Next(logger);
        if (logger.IsEnabled(level))
        {
#pragma warning disable CA1873 // guarded by IsEnabled(level) just above
            Log.AfterRequestHookFailed(logger, level, UserCodeException.Of(exception), hook.Scope, hook.Name, context.Request.Method, LogValue.PathOf(context.Request));
#pragma warning restore CA1873
        }
    }

    private enum Stage
    {
        ThisRequest,
        Endpoint,
        App,
    }

    private record struct Cursor(Stage Stage, int Index);
}

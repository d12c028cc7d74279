using System.Runtime.ExceptionServices;
using CorsKit.AspNetCore.Hooks;
using CorsKit.AspNetCore.Providers;
using CorsKit.Evaluation;
using CorsKit.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CorsKit.AspNetCore;

/// <summary>
/// CorsKit's middleware. It is installed outermost by a startup filter, so that it sees every response, whichever
/// middleware wrote it (exception handlers, status code pages, authentication, the developer exception page), and its
/// place among the app's own Use calls cannot be wrong:
/// - a preflight is routed on a private branch (routing only) to find the endpoint the actual request would reach, and
///   answered from that endpoint's policy without running the rest of the pipeline;
/// - any other request goes through the pipeline; the CORS headers are written when the response starts, from the
///   policy of the endpoint that routing chose;
/// - an exception that escapes the whole pipeline becomes a 500 written here, so it too carries the CORS headers;
/// - the after-request hooks run in the same OnStarting callback, just before the CORS headers are written (and before a
///   preflight CorsKit answers is written), so every response gets them exactly once, in one order.
/// </summary>
internal sealed class CorsKitMiddleware
{
    private const string CorsMiddlewareInvokedKey = "__CorsMiddlewareWithEndpointInvoked";

    private readonly RequestDelegate _next;
    private readonly CorsPolicyRegistry _policies;
    private readonly CorsKitRuntime _runtime;
    private readonly AfterRequestHooks _hooks;
    private readonly ILogger _logger;
    private readonly Func<object, Task> _onStarting;
    private readonly Func<object, Task> _onStartingWithoutCors;
    private RequestDelegate? _preflightRouter;

    public CorsKitMiddleware(RequestDelegate next, CorsPolicyRegistry policies, CorsKitRuntime runtime, AfterRequestHooks hooks, ILogger<CorsKitMiddleware> logger)
    {
        _next = next;
        _policies = policies;
        _runtime = runtime;
        _hooks = hooks;
        _logger = logger;
        _onStarting = OnStarting;
        _onStartingWithoutCors = state => FinishAsync((HttpContext)state, RoutedEndpoint.Of((HttpContext)state), null, preflight: true);
    }

    /// <summary>Set once the app's pipeline is built: a branch that runs routing, then <see cref="AnswerPreflightAsync"/>.</summary>
    public void UsePreflightRouter(RequestDelegate router) => _preflightRouter = router;

    /// <summary>The terminal of the preflight branch: routing has chosen the endpoint; answer from its policy.</summary>
    public Task AnswerPreflightAsync(HttpContext context)
    {
        context.Request.Method = HttpMethods.Options;
        var endpoint = context.GetEndpoint();
        var resolved = _policies.Resolve(endpoint);
        return resolved.Provider is { } provider
            ? AnswerProvidedPreflightAsync(context, endpoint, provider)
            : AnswerPreflight(context, endpoint, resolved.Policy);
    }

    private async Task AnswerProvidedPreflightAsync(HttpContext context, Endpoint? endpoint, PolicyProvider provider)
    {
        var (answered, policy) = await ProvideAsync(context, provider).ConfigureAwait(false);
        if (answered)
        {
            await AnswerPreflight(context, endpoint, policy).ConfigureAwait(false);
            return;
        }

        // Failed closed: answered here (the endpoint does not run), without CORS headers, so the browser blocks the request.
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        await FinishAsync(context, endpoint, policy: null, preflight: true, answeredHere: true).ConfigureAwait(false);
    }

    private Task AnswerPreflight(HttpContext context, Endpoint? endpoint, CorsKit.Policies.CorsPolicy? policy)
    {
        if (policy is null || policy.PreflightPassthrough)
        {
            return PassPreflightOn(context, policy);
        }

        // The endpoint does not run, but the response is the app's: its hooks run as for any other, then the CORS headers.
        context.Response.StatusCode = policy.PreflightStatusCode;
        return FinishAsync(context, endpoint, policy, preflight: true, answeredHere: true);
    }

    // A provider that throws or does not answer in time gives no policy (fail closed): no CORS headers but Vary: Origin,
    // logged once, named in debug mode.
    // Answered is false only then; a provider may also answer "no CORS" (null).
    private async ValueTask<(bool Answered, CorsKit.Policies.CorsPolicy? Policy)> ProvideAsync(HttpContext context, PolicyProvider provider)
    {
        try
        {
            return (true, await provider.GetPolicyAsync(context).ConfigureAwait(false));
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !context.RequestAborted.IsCancellationRequested)
        {
            Log.PolicyProviderFailed(_logger, ex, provider.Name, context.Request.Method, LogValue.Safe(context.Request.Path.Value) ?? "/");

            // The answer would have depended on the origin: a shared cache must not serve this one to every origin.
            CorsHeaderWriter.MergeVary(context.Response.Headers, VaryOn.Origin);
            if (_runtime.IsDebug)
            {
                context.Response.Headers[_runtime.DiagnosticHeaderName] =
                    LogValue.Safe($"policy provider '{provider.Name}' failed ({ex.GetType().Name}: {ex.Message}); no CORS headers were sent");
            }

            return (false, null);
        }
    }

    // No CORS here, or the endpoint answers preflights itself: run the real pipeline (it routes again, and may land on
    // another endpoint, such as 405), with the policy found here. A method of its own, so the closure over the policy
    // is allocated only on this path, not on every preflight.
    private Task PassPreflightOn(HttpContext context, CorsKit.Policies.CorsPolicy? policy)
    {
        context.SetEndpoint(null);
        context.Request.RouteValues.Clear();
        return policy is null
            ? RunPipelineAsync(context, _onStartingWithoutCors)
            : RunPipelineAsync(context, state => FinishAsync((HttpContext)state, RoutedEndpoint.Of((HttpContext)state), policy, preflight: true));
    }

    public Task InvokeAsync(HttpContext context)
    {
        if (!_runtime.Enabled)
        {
            return _next(context);
        }

        var request = context.Request;
        if (_preflightRouter is not null && HttpMethods.IsOptions(request.Method) && request.Headers.Origin.Count > 0
            && request.Headers.AccessControlRequestMethod.Count > 0)
        {
            // Route as the actual request would be routed (the branch runs routing only, never the endpoint), so the
            // preflight finds the policy of exactly the endpoint that will serve the request.
            request.Method = request.Headers.AccessControlRequestMethod.ToString();
            return _preflightRouter(context);
        }

        return RunPipelineAsync(context, _onStarting);
    }

    // Every response gets one OnStarting callback, registered here, outermost: the after-request hooks, then the CORS headers.
    // Synchronous while the pipeline is: the async frame that catches its exceptions exists only once it is needed.
    private Task RunPipelineAsync(HttpContext context, Func<object, Task> onStarting)
    {
        context.Response.OnStarting(onStarting, context);

        if (_runtime.MarkCorsHandled)
        {
            // Some endpoint carries Microsoft's CORS metadata ([EnableCors]); tell the endpoint middleware CORS is handled.
            context.Items[CorsMiddlewareInvokedKey] = true;
        }

        Task pipeline;
        try
        {
            pipeline = _next(context);
        }
        catch (Exception ex) when (IsFailure(context, ex))
        {
            return AnswerExceptionAsync(context, ExceptionDispatchInfo.Capture(ex));
        }

        return pipeline.IsCompletedSuccessfully ? Task.CompletedTask : AwaitPipelineAsync(context, pipeline);
    }

    private async Task AwaitPipelineAsync(HttpContext context, Task pipeline)
    {
        try
        {
            await pipeline.ConfigureAwait(false);
        }
        catch (Exception ex) when (IsFailure(context, ex))
        {
            await AnswerExceptionAsync(context, ExceptionDispatchInfo.Capture(ex)).ConfigureAwait(false);
        }
    }

    // An exception that escaped the whole pipeline, unless it is the cancellation of an aborted request.
    private static bool IsFailure(HttpContext context, Exception exception) =>
        !context.RequestAborted.IsCancellationRequested || exception is not OperationCanceledException;

    private async Task AnswerExceptionAsync(HttpContext context, ExceptionDispatchInfo failure)
    {
        if (!await _runtime.TryWriteErrorResponseAsync(context, failure.SourceException, _logger).ConfigureAwait(false))
        {
            // The response had started: let the server end it as incomplete (see TryWriteErrorResponseAsync).
            failure.Throw();
        }
    }

    private Task OnStarting(object state)
    {
        var context = (HttpContext)state;
        var endpoint = RoutedEndpoint.Of(context);
        var resolved = _policies.Resolve(endpoint);
        return resolved.Provider is { } provider
            ? FinishProvidedAsync(context, endpoint, provider)
            : FinishAsync(context, endpoint, resolved.Policy, preflight: false);
    }

    private async Task FinishProvidedAsync(HttpContext context, Endpoint? endpoint, PolicyProvider provider)
    {
        var (_, policy) = await ProvideAsync(context, provider).ConfigureAwait(false);
        await FinishAsync(context, endpoint, policy, preflight: false).ConfigureAwait(false);
    }

    // Runs as the response starts (or as CorsKit answers a preflight itself: answeredHere): the after-request hooks (if
    // any), then the CORS headers, so CorsKit has the last word on Access-Control-* and Vary whatever a hook did.
    // Without hooks this allocates nothing.
    private Task FinishAsync(HttpContext context, Endpoint? endpoint, CorsKit.Policies.CorsPolicy? policy, bool preflight, bool answeredHere = false)
    {
        var hooks = _hooks.RunAsync(context, endpoint, _logger);
        if (!hooks.IsCompletedSuccessfully)
        {
            return FinishAfterHooksAsync(hooks, context, policy, preflight, answeredHere);
        }

        return policy is null ? Task.CompletedTask : DecideAsync(context, policy, preflight, answeredHere);
    }

    private async Task FinishAfterHooksAsync(Task hooks, HttpContext context, CorsKit.Policies.CorsPolicy? policy, bool preflight, bool answeredHere)
    {
        await hooks.ConfigureAwait(false);
        if (policy is not null)
        {
            await DecideAsync(context, policy, preflight, answeredHere).ConfigureAwait(false);
        }
    }

    // Synchronous and allocation-free unless an origin predicate has to be awaited.
    private Task DecideAsync(HttpContext context, CorsKit.Policies.CorsPolicy policy, bool preflight, bool answeredHere)
    {
        var request = ReadRequest(context.Request, preflight);
        if (!policy.Origins.HasPredicate)
        {
            // Nothing to await: evaluate in place (the ValueTask would copy the decision twice, about 10 ns).
            Write(context, CorsEvaluator.Evaluate(policy, request), answeredHere);
            return Task.CompletedTask;
        }

        var pending = CorsEvaluator.EvaluateAsync(policy, request, context.RequestAborted);
        if (!pending.IsCompletedSuccessfully)
        {
            return AwaitDecisionAsync(context, pending, answeredHere);
        }

        Write(context, pending.Result, answeredHere);
        return Task.CompletedTask;
    }

    private async Task AwaitDecisionAsync(HttpContext context, ValueTask<CorsDecision> pending, bool answeredHere) =>
        Write(context, await pending.ConfigureAwait(false), answeredHere);

    // A preflight CorsKit answers gets the whole decision; any other response is the app's, which may have set ACAO itself.
    private void Write(HttpContext context, in CorsDecision decision, bool answeredHere)
    {
        if (answeredHere)
        {
            WriteDecision(context, decision);
            Log.PreflightAnswered(_logger, LogValue.Safe(context.Request.Path.Value) ?? "/", decision.Policy.PreflightStatusCode, decision.Policy.Name);
        }
        else
        {
            Apply(context, decision);
        }
    }

    private void Apply(HttpContext context, in CorsDecision decision)
    {
        var existing = context.Response.Headers.AccessControlAllowOrigin;
        if (decision.HasCorsHeaders && existing.Count > 0
            && !(existing.Count == 1 && string.Equals(existing[0], decision.AllowOrigin, StringComparison.Ordinal)))
        {
            // The endpoint (or a hook) set ACAO itself, as Flask tutorials teach, to something else than the policy's
            // answer: never a second value (browsers refuse both) and never overruling the handler; say so.
            Log.AllowOriginAlreadySet(_logger, context.GetEndpoint()?.DisplayName);
            CorsHeaderWriter.MergeVary(context.Response.Headers, decision.Vary);
            return;
        }

        // No ACAO yet, or the handler set the very value the policy sends: write the whole answer (credentials,
        // exposed headers, Vary), so a handler that set only ACAO on a credentialed policy is not blocked.
        WriteDecision(context, decision);
    }

    private void WriteDecision(HttpContext context, in CorsDecision decision)
    {
        CorsHeaderWriter.Write(decision, context.Response.Headers);
        switch (decision.Outcome)
        {
            // The arguments of a log call are computed even when its level is off, hence the IsEnabled checks.
            case CorsOutcome.Allowed when _logger.IsEnabled(LogLevel.Debug):
                Log.Allowed(_logger, LogValue.Safe(decision.AllowOrigin), decision.Policy.Name, decision.IsPreflight);
                break;
            case CorsOutcome.Rejected:
                if (decision.Error is not null)
                {
                    Log.OriginCheckFailed(_logger, decision.Error!, decision.Policy.Name, LogValue.Safe(context.Request.Headers.Origin.ToString()));
                }
                else if (_logger.IsEnabled(LogLevel.Information))
                {
                    Log.Rejected(_logger, LogValue.Safe(context.Request.Headers.Origin.ToString()), decision.Policy.Name, decision.Reason, LogValue.Safe(decision.RejectedValue), decision.IsPreflight);
                }

                if (_runtime.IsDebug)
                {
                    var explanation = LogValue.Safe(decision.Explain())!;
                    context.Response.Headers[_runtime.DiagnosticHeaderName] = explanation;
                    Log.RejectedExplained(_logger, explanation);
                }

                break;
        }
    }

    private static CorsRequest ReadRequest(HttpRequest request, bool preflight)
    {
        var headers = request.Headers;
        var origin = headers.Origin;
        if (!preflight)
        {
            return new CorsRequest(request.Method, Single(origin));
        }

        return new CorsRequest(
            request.Method,
            Single(origin),
            Single(headers.AccessControlRequestMethod),
            Single(headers.AccessControlRequestHeaders),
            string.Equals(headers[CorsHeaderNames.AccessControlRequestPrivateNetwork], "true", StringComparison.OrdinalIgnoreCase));

        // Several header lines arrive joined with commas: for Origin and the method that is malformed, for the
        // header list it is the combined value (Fetch "combine").
        static string? Single(Microsoft.Extensions.Primitives.StringValues values) => values.Count switch
        {
            0 => null,
            1 => values[0],
            _ => values.ToString(),
        };
    }
}

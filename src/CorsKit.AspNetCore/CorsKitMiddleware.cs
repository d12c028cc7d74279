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
/// - an exception that escapes the whole pipeline becomes a 500 written here, so it too carries the CORS headers.
/// </summary>
internal sealed class CorsKitMiddleware
{
    private const string CorsMiddlewareInvokedKey = "__CorsMiddlewareWithEndpointInvoked";

    private readonly RequestDelegate _next;
    private readonly CorsPolicyRegistry _policies;
    private readonly CorsKitRuntime _runtime;
    private readonly ILogger _logger;
    private readonly Func<object, Task> _onStarting;
    private RequestDelegate? _preflightRouter;

    public CorsKitMiddleware(RequestDelegate next, CorsPolicyRegistry policies, CorsKitRuntime runtime, ILogger<CorsKitMiddleware> logger)
    {
        _next = next;
        _policies = policies;
        _runtime = runtime;
        _logger = logger;
        _onStarting = ApplyOnStarting;
    }

    /// <summary>Set once the app's pipeline is built: a branch that runs routing, then <see cref="AnswerPreflightAsync"/>.</summary>
    public void UsePreflightRouter(RequestDelegate router) => _preflightRouter = router;

    /// <summary>The terminal of the preflight branch: routing has chosen the endpoint; answer from its policy.</summary>
    public Task AnswerPreflightAsync(HttpContext context)
    {
        context.Request.Method = HttpMethods.Options;
        var policy = _policies.Resolve(context.GetEndpoint());
        if (policy is null || policy.PreflightPassthrough)
        {
            return PassPreflightOn(context, policy);
        }

        var decision = CorsEvaluator.Evaluate(policy, ReadRequest(context.Request, preflight: true));
        var response = context.Response;
        response.StatusCode = policy.PreflightStatusCode;
        WriteDecision(context, decision);
        Log.PreflightAnswered(_logger, context.Request.Path.Value ?? "/", policy.PreflightStatusCode, policy.Name);
        return Task.CompletedTask;
    }

    // No CORS here, or the endpoint answers preflights itself: run the real pipeline (it routes again, and may land on
    // another endpoint, such as 405), with the policy found here. A method of its own, so the closure over the policy
    // is allocated only on this path, not on every preflight.
    private Task PassPreflightOn(HttpContext context, CorsKit.Policies.CorsPolicy? policy)
    {
        context.SetEndpoint(null);
        context.Request.RouteValues.Clear();
        return policy is null
            ? RunPipelineAsync(context, null, null)
            : RunPipelineAsync(context, state => Apply((HttpContext)state, policy, preflight: true), context);
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

        return RunPipelineAsync(context, _onStarting, context);
    }

    private async Task RunPipelineAsync(HttpContext context, Func<object, Task>? onStarting, object? state)
    {
        if (onStarting is not null)
        {
            context.Response.OnStarting(onStarting, state!);
        }

        if (_runtime.MarkCorsHandled)
        {
            // Some endpoint carries Microsoft's CORS metadata ([EnableCors]); tell the endpoint middleware CORS is handled.
            context.Items[CorsMiddlewareInvokedKey] = true;
        }

        try
        {
            await _next(context).ConfigureAwait(false);
        }
        catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested || ex is not OperationCanceledException)
        {
            await _runtime.HandleUnhandledExceptionAsync(context, ex, _logger).ConfigureAwait(false);
        }
    }

    private Task ApplyOnStarting(object state)
    {
        var context = (HttpContext)state;
        return _policies.Resolve(context.GetEndpoint()) is { } policy ? Apply(context, policy, preflight: false) : Task.CompletedTask;
    }

    private Task Apply(HttpContext context, CorsKit.Policies.CorsPolicy policy, bool preflight)
    {
        var decision = CorsEvaluator.Evaluate(policy, ReadRequest(context.Request, preflight));
        if (decision.HasCorsHeaders && context.Response.Headers.AccessControlAllowOrigin.Count > 0)
        {
            // The endpoint set ACAO itself (as Flask tutorials teach); a second value would make browsers refuse both.
            Log.AllowOriginAlreadySet(_logger, context.GetEndpoint()?.DisplayName);
            CorsHeaderWriter.MergeVary(context.Response.Headers, decision.Vary);
            return Task.CompletedTask;
        }

        WriteDecision(context, decision);
        return Task.CompletedTask;
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

                if (_runtime.IsDebug(context))
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

using System.Runtime.ExceptionServices;
using CorsKit.AspNetCore.Preflights;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CorsKit.AspNetCore;

/// <summary>
/// CorsKit's middleware, installed outermost by a startup filter, so that it sees every response, whichever middleware
/// wrote it (exception handlers, status code pages, authentication, the developer exception page), and its place among
/// the app's own Use calls cannot be wrong. Every request, preflights included, goes through the app's whole pipeline:
/// - a preflight is routed by the app's own routing, after whatever the app does first (<c>UsePathBase</c>, rewriters,
///   forwarded headers, <c>Map</c> branches), to a preflight twin of the endpoint its actual request would reach
///   (<see cref="PreflightMatcherPolicy"/>); the twin short-circuits routing, so neither the endpoint nor authorization
///   ever runs for it. A preflight that no routing answers (a path without endpoints) gets the default policy here;
/// - every response is finished by <see cref="ResponseFinisher"/> as it starts: the after-request hooks, then the CORS
///   headers of the endpoint's policy, with the last word on <c>Access-Control-*</c>;
/// - an exception that escapes the whole pipeline becomes a 500 written here, so it too carries the CORS headers; a
///   client that went away is not an error, and gets nothing.
/// </summary>
internal sealed class CorsKitMiddleware
{
    private const string CorsMiddlewareInvokedKey = "__CorsMiddlewareWithEndpointInvoked";

    private readonly RequestDelegate _next;
    private readonly CorsKitRuntime _runtime;
    private readonly ResponseFinisher _finisher;
    private readonly ILogger _logger;
    private readonly PreflightEndpoints _preflights;

    public CorsKitMiddleware(RequestDelegate next, CorsPolicyRegistry policies, CorsKitRuntime runtime, Hooks.AfterRequestHooks hooks, PreflightEndpoints preflights, Metrics.CorsKitMetrics metrics, TimeProvider time, ILogger<CorsKitMiddleware> logger)
    {
        _preflights = preflights;
        _next = next;
        _runtime = runtime;
        _logger = logger;
        _finisher = new ResponseFinisher(policies, runtime, hooks, metrics, logger, time);
    }

    // Synchronous while the pipeline is: the async frame that catches its exceptions exists only once it is needed.
    public Task InvokeAsync(HttpContext context)
    {
        if (!_runtime.Enabled)
        {
            return _next(context);
        }

        context.Response.OnStarting(_finisher.OnStarting, context);
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
        catch (Exception ex)
        {
            return AnswerExceptionAsync(context, ExceptionDispatchInfo.Capture(ex));
        }

        if (!pipeline.IsCompletedSuccessfully)
        {
            return AwaitPipelineAsync(context, pipeline);
        }

        AnswerUnrouted(context);
        return Task.CompletedTask;
    }

    private async Task AwaitPipelineAsync(HttpContext context, Task pipeline)
    {
        try
        {
            await pipeline.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            await AnswerExceptionAsync(context, ExceptionDispatchInfo.Capture(ex)).ConfigureAwait(false);
            return;
        }

        AnswerUnrouted(context);
    }

    // A preflight that reached no endpoint and that nothing answered (the pipeline's end set 404): as for an actual
    // request to that path, the default policy applies; answer it as routing would have.
    private void AnswerUnrouted(HttpContext context)
    {
        var response = context.Response;
        if (context.GetEndpoint() is null && response.StatusCode == StatusCodes.Status404NotFound && !response.HasStarted && CorsPreflight.Is(context.Request))
        {
            context.SetEndpoint(_preflights.Unrouted);
            response.StatusCode = StatusCodes.Status204NoContent;
        }
    }

    private async Task AnswerExceptionAsync(HttpContext context, ExceptionDispatchInfo failure)
    {
        if (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away: there is no one to answer, and it is not an error. The server notes a cancellation
            // itself (at Debug); anything else the abort caused (a write to a closed connection) is noted here, at Debug.
            if (failure.SourceException is OperationCanceledException)
            {
                failure.Throw();
            }

            Log.RequestAborted(_logger, context.Request.Method, LogValue.PathOf(context.Request), "the pipeline");
            return;
        }

        if (!await _runtime.TryWriteErrorResponseAsync(context, failure.SourceException, _logger).ConfigureAwait(false))
        {
            // The response had started: let the server end it as incomplete (see TryWriteErrorResponseAsync).
            failure.Throw();
        }
    }
}

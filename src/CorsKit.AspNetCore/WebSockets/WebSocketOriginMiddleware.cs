using CorsKit.Evaluation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;
using CorsPolicy = CorsKit.Policies.CorsPolicy;

namespace CorsKit.AspNetCore.WebSockets;

/// <summary>
/// Refuses with 403 a WebSocket handshake whose <c>Origin</c> a CorsKit policy refuses. CORS does not cover WebSockets:
/// a browser sends <c>Origin</c> on the handshake but no preflight, and opens the socket whatever the response's CORS
/// headers say (WHATWG Fetch, "CORS protocol"; RFC 6455 section 10.2 leaves the origin check to the server). The check
/// asks the policy exactly as a GET from that origin would, so wildcards, regexes, predicates and lookalikes
/// (<c>https://app.example.com.evil.com</c>) are judged the same way. A handshake without <c>Origin</c> comes from a
/// non-browser client, which can send any <c>Origin</c> it likes anyway, so it passes, as with ASP.NET Core's
/// <c>WebSocketOptions.AllowedOrigins</c>.
/// </summary>
internal sealed class WebSocketOriginMiddleware(RequestDelegate next, string policyName, CorsPolicyRegistry registry, WebSocketOriginBudgets budgets, ILogger<WebSocketOriginMiddleware> logger)
{
    public Task InvokeAsync(HttpContext context)
    {
        var origin = context.Request.Headers.Origin;
        return origin.Count == 0 || !IsWebSocketHandshake(context) ? next(context) : CheckAsync(context, origin.ToString());
    }

    // Refused unless the policy allows the origin; a provider that fails or chooses no policy, or an origin check that
    // fails, refuses the handshake (fail closed), as they leave a response without CORS headers.
    private async Task CheckAsync(HttpContext context, string origin)
    {
        // Looked up per handshake, as CORS resolves its policy per request: a configuration reload reaches both at once.
        var policy = registry.Named(policyName);
        if (policy.Policy is null && policy.Provider is null)
        {
            Refuse(context, origin, "no policy of that name is registered now (fail closed)", error: null);
            return;
        }

        CorsPolicy? current;
        try
        {
            current = policy.Policy ?? await policy.Provider!.GetPolicyAsync(context).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            Log.RequestAborted(logger, context.Request.Method, LogValue.PathOf(context.Request), $"policy provider '{policy.Provider!.Name}'");
            return;
        }
        catch (Exception ex)
        {
            // A cancellation the client did not cause (an HttpClient timing out inside the provider) is a failure too.
            Refuse(context, origin, "its policy provider failed (fail closed)", ex);
            return;
        }

        if (current is null)
        {
            Refuse(context, origin, "its policy provider chose no policy for this request", error: null);
            return;
        }

        CorsDecision decision;
        try
        {
            decision = await CorsEvaluator.EvaluateAsync(current, new CorsRequest(HttpMethods.Get, origin, Tenant: ResponseFinisher.TenantOf(context.Request, current.OriginTenant)), registry.Bulkhead, context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            Log.RequestAborted(logger, context.Request.Method, LogValue.PathOf(context.Request), "an origin predicate");
            return;
        }

        if (!decision.IsAllowed)
        {
            Refuse(context, origin, decision.Error is null ? "the policy does not allow that origin" : "the policy's origin check failed (fail closed)", decision.Error);
            return;
        }

        await next(context).ConfigureAwait(false);
    }

    private void Refuse(HttpContext context, string origin, string reason, Exception? error)
    {
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        var level = (error is null ? budgets.Refusals : budgets.Failures).Next(logger);
        if (level != LogLevel.None)
        {
#pragma warning disable CA1873 // The level comes from the budget; the arguments are already at hand.
            Log.WebSocketOriginRefused(logger, level, error, LogValue.Safe(origin), LogValue.PathOf(context.Request), policyName, reason);
#pragma warning restore CA1873
        }
    }

    // HTTP/1.1: Upgrade: websocket (RFC 6455 section 4.1); HTTP/2: an extended CONNECT for the websocket protocol (RFC 8441).
    private static bool IsWebSocketHandshake(HttpContext context)
    {
        if (context.Features.Get<IHttpExtendedConnectFeature>() is { IsExtendedConnect: true } connect)
        {
            return string.Equals(connect.Protocol, "websocket", StringComparison.OrdinalIgnoreCase);
        }

        foreach (var value in context.Request.Headers[HeaderNames.Upgrade])
        {
            if (value is not null && value.Contains("websocket", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}

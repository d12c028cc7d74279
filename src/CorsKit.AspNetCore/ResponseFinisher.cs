using System.Collections.Concurrent;
using CorsKit.AspNetCore.Hooks;
using CorsKit.AspNetCore.Metrics;
using CorsKit.AspNetCore.Preflights;
using CorsKit.AspNetCore.Providers;
using CorsKit.Evaluation;
using CorsKit.Http;
using CorsKit.Sources;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using CorsPolicy = CorsKit.Policies.CorsPolicy;

namespace CorsKit.AspNetCore;

/// <summary>
/// The one place that finishes responses: registered by <see cref="CorsKitMiddleware"/> as every response's first
/// <c>OnStarting</c> callback (so it runs last, just before the headers go out), whoever wrote the response. In order:
/// 1. the endpoint whose policy applies (<see cref="RoutedEndpoint"/>) and its policy, asked of a provider if need be;
/// 2. for a preflight CorsKit answers, the policy's preflight status;
/// 3. the after-request hooks;
/// 4. the decision, written over whatever the endpoint or the hooks set on <c>Access-Control-*</c> (CorsKit has the last
///    word: a contradicting header is removed, logged once per endpoint and named in debug mode), with <c>Vary</c> merged;
/// 5. the metrics: the response counted by its decision, and how long a provider or predicate was waited for.
/// Synchronous and allocation-free unless a provider, a hook or an origin predicate has to be awaited.
/// </summary>
internal sealed class ResponseFinisher
{
    private readonly CorsPolicyRegistry _policies;
    private readonly CorsKitRuntime _runtime;
    private readonly AfterRequestHooks _hooks;
    private readonly ILogger _logger;
    private readonly CorsKitMetrics _metrics;
    // One budget per event: a flood of one failure must not push another kind of failure down to Debug.
    private readonly LogBudget _rejections;
    private readonly LogBudget _originCheckFailures;
    private readonly LogBudget _providerFailures;
    private readonly LogBudget _explanations;
    private static readonly System.Buffers.SearchValues<char> HostToNormalise = System.Buffers.SearchValues.Create(":ABCDEFGHIJKLMNOPQRSTUVWXYZ");

    private readonly ConcurrentDictionary<Endpoint, bool> _overruledEndpoints = new();
    private int _overruledWithoutEndpoint;

    public ResponseFinisher(CorsPolicyRegistry policies, CorsKitRuntime runtime, AfterRequestHooks hooks, CorsKitMetrics metrics, ILogger logger, TimeProvider time)
    {
        _policies = policies;
        _metrics = metrics;
        _runtime = runtime;
        _hooks = hooks;
        _logger = logger;
        _rejections = new LogBudget(LogLevel.Information, time);
        _originCheckFailures = new LogBudget(LogLevel.Error, time);
        _providerFailures = new LogBudget(LogLevel.Error, time);
        _explanations = new LogBudget(LogLevel.Warning, time);
        OnStarting = Finish;
    }

    /// <summary>The callback, allocated once.</summary>
    public Func<object, Task> OnStarting { get; }

    private Task Finish(object state)
    {
        var context = (HttpContext)state;
        var routed = context.GetEndpoint();
        var kind = PreflightEndpoints.Answers(routed) ? ResponseKind.AnsweredPreflight
            : CorsPreflight.Is(context.Request) ? ResponseKind.Preflight
            : ResponseKind.Actual;
        var endpoint = RoutedEndpoint.Of(context, routed);

        // One policy set for the whole response, even if configuration reloads meanwhile.
        var set = _policies.Current;
        ResolvedPolicy resolved;
        if (kind == ResponseKind.AnsweredPreflight)
        {
            // The twin carries its target's policy, resolved once per policy set (unless an error page re-ran the pipeline). Providers
            // and hooks see the target, as for the actual request, not the twin.
            var target = PreflightEndpoints.TargetOf(routed!);
            resolved = ReferenceEquals(target.Endpoint, endpoint) ? target.PolicyIn(set) : _policies.Resolve(endpoint, set);
            context.SetEndpoint(endpoint);
        }
        else if (kind == ResponseKind.Preflight && endpoint is null)
        {
            // The app answered a preflight before (or without) routing: which endpoint its actual request reaches, and so
            // its policy, is unknown. No CORS headers: the browser then sends no actual request.
            resolved = default;
        }
        else
        {
            resolved = _policies.Resolve(endpoint, set);
        }

        if (resolved.Provider is { } provider)
        {
            return FinishProvidedAsync(context, endpoint, kind, provider);
        }

        if (resolved.Policy is null)
        {
            _metrics.RecordRequestWithoutPolicy(kind != ResponseKind.Actual);
        }

        return Finish(context, endpoint, kind, resolved.Policy);
    }

    private async Task FinishProvidedAsync(HttpContext context, Endpoint? endpoint, ResponseKind kind, PolicyProvider provider)
    {
        // The clock (the bulkhead's, which measures the provider's budget) is read only when the duration is recorded.
        var time = _policies.Bulkhead.TimeProvider;
        var measured = _metrics.UserCodeDurationEnabled;
        var asked = measured ? time.GetTimestamp() : 0;
        CorsPolicy? policy;
        Exception? failure = null;
        try
        {
            policy = await provider.GetPolicyAsync(context).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            Log.RequestAborted(_logger, context.Request.Method, LogValue.PathOf(context.Request), $"policy provider '{provider.Name}'");
            return;
        }
        catch (Exception ex)
        {
            failure = ex;
            policy = null;
        }

        if (measured)
        {
            _metrics.RecordUserCode(UserCodeKind.PolicyProvider, provider.Name, time.GetElapsedTime(asked), failure);
        }

        if (failure is not null)
        {
            FailClosed(context, provider, failure, kind);
        }
        else if (policy is null)
        {
            _metrics.RecordRequestWithoutPolicy(kind != ResponseKind.Actual);
        }

        await Finish(context, endpoint, kind, policy).ConfigureAwait(false);
    }

    // Fail closed: no policy, so no CORS headers; but the answer would have depended on the origin, so a shared cache must
    // not serve this one to every origin.
    private void FailClosed(HttpContext context, PolicyProvider provider, Exception ex, ResponseKind kind)
    {
        _metrics.RecordProviderFailed(provider.Name, kind != ResponseKind.Actual);
        var level = _providerFailures.Next(_logger);
        if (_logger.IsEnabled(level))
        {
#pragma warning disable CA1873 // guarded by IsEnabled(level) just above
            Log.PolicyProviderFailed(_logger, level, UserCodeException.Of(ex), provider.Name, context.Request.Method, LogValue.PathOf(context.Request));
#pragma warning restore CA1873
        }

        CorsHeaderWriter.MergeVary(context.Response.Headers, VaryOn.Origin);
        if (_runtime.IsDebug)
        {
            context.Response.Headers[_runtime.DiagnosticHeaderName] =
                LogValue.Safe($"policy provider '{provider.Name}' failed ({ex.GetType().Name}: {ex.Message}); no CORS headers were sent");
        }
    }

    private Task Finish(HttpContext context, Endpoint? endpoint, ResponseKind kind, CorsPolicy? policy)
    {
        if (kind == ResponseKind.AnsweredPreflight)
        {
            context.Response.StatusCode = policy?.PreflightStatusCode ?? StatusCodes.Status204NoContent;
        }

        var hooks = _hooks.RunAsync(context, endpoint, _logger);
        if (!hooks.IsCompletedSuccessfully)
        {
            return DecideAfterHooksAsync(hooks, context, endpoint, kind, policy);
        }

        return Decide(context, endpoint, kind, policy);
    }

    private async Task DecideAfterHooksAsync(Task hooks, HttpContext context, Endpoint? endpoint, ResponseKind kind, CorsPolicy? policy)
    {
        await hooks.ConfigureAwait(false);
        await Decide(context, endpoint, kind, policy).ConfigureAwait(false);
    }

    private Task Decide(HttpContext context, Endpoint? endpoint, ResponseKind kind, CorsPolicy? policy)
    {
        if (policy is null)
        {
            Write(context, endpoint, kind, default);
            return Task.CompletedTask;
        }

        var request = ReadRequest(context.Request, kind != ResponseKind.Actual, policy.OriginTenant);
        if (!policy.Origins.HasPredicate)
        {
            // Nothing to await: evaluate in place.
            Write(context, endpoint, kind, CorsEvaluator.Evaluate(policy, request));
            return Task.CompletedTask;
        }

        var pending = CorsEvaluator.EvaluateAsync(policy, request, _policies.Bulkhead, context.RequestAborted);
        if (!pending.IsCompletedSuccessfully)
        {
            return AwaitDecisionAsync(context, endpoint, kind, pending);
        }

        Write(context, endpoint, kind, pending.Result);
        return Task.CompletedTask;
    }

    private async Task AwaitDecisionAsync(HttpContext context, Endpoint? endpoint, ResponseKind kind, ValueTask<CorsDecision> pending)
    {
        CorsDecision decision;
        try
        {
            decision = await pending.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            Log.RequestAborted(_logger, context.Request.Method, LogValue.PathOf(context.Request), "an origin predicate");
            return;
        }

        Write(context, endpoint, kind, decision);
    }

    // decision is default (no policy) when the endpoint has no CORS: then every Access-Control-* header goes.
    private void Write(HttpContext context, Endpoint? endpoint, ResponseKind kind, in CorsDecision decision)
    {
        var headers = context.Response.Headers;
        var overruled = AccessControlHeaders.RemoveContradictions(headers, decision);
        if (decision.Policy is not null)
        {
            CorsHeaderWriter.Write(decision, headers);
            LogDecision(context, decision);
            _metrics.RecordRequest(decision);
            if (decision.OriginPredicateDuration is { } waited)
            {
                _metrics.RecordUserCode(UserCodeKind.OriginPredicate, decision.Policy.Name, waited, decision.Error);
            }
        }

        if (overruled is { } header)
        {
            Overruled(context, endpoint, header, decision.Policy?.Name ?? "(none)");
        }

        if (kind == ResponseKind.AnsweredPreflight && _logger.IsEnabled(LogLevel.Debug))
        {
            Log.PreflightAnswered(_logger, LogValue.PathOf(context.Request), context.Response.StatusCode, decision.Policy?.Name ?? "(none)");
        }
    }

    private void LogDecision(HttpContext context, in CorsDecision decision)
    {
        switch (decision.Outcome)
        {
            // The arguments of a log call are computed even when its level is off, hence the IsEnabled checks.
            case CorsOutcome.Allowed when _logger.IsEnabled(LogLevel.Debug):
                Log.Allowed(_logger, LogValue.Safe(decision.AllowOrigin), decision.Policy.Name, decision.IsPreflight);
                break;
            case CorsOutcome.Rejected:
                var level = decision.Error is null ? _rejections.Next(_logger) : _originCheckFailures.Next(_logger);
                if (_logger.IsEnabled(level))
                {
                    var origin = LogValue.Safe(context.Request.Headers.Origin.ToString());
                    if (decision.Error is not null)
                    {
#pragma warning disable CA1873 // guarded by IsEnabled(level) just above
                        Log.OriginCheckFailed(_logger, level, UserCodeException.Of(decision.Error), decision.Policy.Name, origin);
#pragma warning restore CA1873
                    }
                    else
                    {
#pragma warning disable CA1873 // guarded by IsEnabled(level) just above
                        Log.Rejected(_logger, level, origin, decision.Policy.Name, decision.Reason, LogValue.Safe(decision.RejectedValue), decision.IsPreflight);
#pragma warning restore CA1873
                    }
                }

                if (_runtime.IsDebug)
                {
                    var explanation = LogValue.Safe(decision.Explain())!;
                    context.Response.Headers[_runtime.DiagnosticHeaderName] = explanation;
                    var explained = _explanations.Next(_logger);
                    if (_logger.IsEnabled(explained))
                    {
                        Log.RejectedExplained(_logger, explained, explanation);
                    }
                }

                break;
        }
    }

    // Logged once per endpoint: an endpoint that sets the header does so on every response.
    private void Overruled(HttpContext context, Endpoint? endpoint, (string Name, string Value) header, string policyName)
    {
        var first = endpoint is null
            ? Interlocked.Exchange(ref _overruledWithoutEndpoint, 1) == 0
            : _overruledEndpoints.TryAdd(endpoint, true);
        if (first)
        {
            Log.AccessControlHeaderOverruled(_logger, endpoint?.DisplayName ?? "The app (no endpoint)", header.Name, LogValue.Safe(header.Value), policyName);
        }

        if (_runtime.IsDebug)
        {
            var note = LogValue.Safe($"{header.Name} set by the app ('{header.Value}') was removed: the CorsKit policy decides")!;
            var headers = context.Response.Headers;
            headers[_runtime.DiagnosticHeaderName] = headers.TryGetValue(_runtime.DiagnosticHeaderName, out var reason) && reason.Count > 0
                ? $"{reason}; {note}"
                : note;
        }
    }

    // A preflight is routed to its target's twin, so it carries the target's route values too. Host names compare
    // case-insensitively; the tenant is the lower-case host without its port. The usual Host header (lower-case, no
    // port) is that already, and is used as sent: parsing it (HostString) costs more than the whole lookup.
    internal static string? TenantOf(HttpRequest request, OriginTenant tenant) => tenant.Kind switch
    {
        OriginTenantKind.RouteValue => request.RouteValues[tenant.RouteValueName!] as string,
        OriginTenantKind.Host => request.Headers.Host is { Count: 1 } host && host[0] is { Length: > 0 } value
            ? (value.AsSpan().ContainsAny(HostToNormalise) ? new HostString(value).Host.ToLowerInvariant() : value)
            : null,
        _ => null,
    };

    private static CorsRequest ReadRequest(HttpRequest request, bool preflight, OriginTenant tenant)
    {
        var headers = request.Headers;
        var origin = headers.Origin;
        if (!preflight)
        {
            return new CorsRequest(request.Method, Single(origin), Tenant: TenantOf(request, tenant));
        }

        return new CorsRequest(
            HttpMethods.Options,
            Single(origin),
            Single(headers.AccessControlRequestMethod),
            Single(headers.AccessControlRequestHeaders),
            string.Equals(headers[CorsHeaderNames.AccessControlRequestPrivateNetwork], "true", StringComparison.OrdinalIgnoreCase),
            TenantOf(request, tenant));

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

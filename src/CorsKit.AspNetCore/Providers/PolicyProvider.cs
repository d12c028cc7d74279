using CorsKit.Isolation;
using CorsKit.Policies;
using CorsKit.Sources;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using CorsPolicy = CorsKit.Policies.CorsPolicy;

namespace CorsKit.AspNetCore.Providers;

/// <summary>A registered <see cref="ICorsKitPolicyProvider"/>, its budget, and the bulkhead it runs in.</summary>
internal sealed class PolicyProvider
{
    private readonly ICorsKitPolicyProvider _provider;
    private readonly TimeSpan _timeout;
    private readonly UserCodeBulkhead _bulkhead;
    private readonly string _caller;
    private readonly ILogger _logger;
    private readonly CancellationToken _started;
    private int _warnedSourceNotRead;

    /// <param name="name">The name it was registered under.</param>
    /// <param name="provider">The provider.</param>
    /// <param name="timeout">Its budget.</param>
    /// <param name="timeoutSource">Where the budget was set, for the startup error: <c>PolicyProviderTimeout</c>, or the argument.</param>
    /// <param name="bulkhead">Where it runs.</param>
    /// <param name="logger">Where a policy drawing from a source nothing reads is reported.</param>
    /// <param name="started">Cancelled once the host has started: endpoint and default policies' sources are synced only then.</param>
    public PolicyProvider(string name, ICorsKitPolicyProvider provider, TimeSpan timeout, string timeoutSource, UserCodeBulkhead bulkhead, ILogger logger, CancellationToken started)
    {
        if (timeout <= TimeSpan.Zero)
        {
            throw new CorsPolicyException($"{timeoutSource} is {timeout}; it must be positive (default 1 second)");
        }

        if (timeout > UserCodeBulkhead.MaxBudget)
        {
            throw new CorsPolicyException($"{timeoutSource} is {timeout}; it must be at most {UserCodeBulkhead.MaxBudget} (default 1 second)");
        }

        Name = name;
        _provider = provider;
        _timeout = timeout;
        _bulkhead = bulkhead;
        _logger = logger;
        _started = started;
        _caller = $"policy provider '{name}'";
    }

    /// <summary>The name it was registered under, for logs.</summary>
    public string Name { get; }

    /// <summary>
    /// Asks the provider on a thread of the bulkhead (never the request's, nor a thread-pool thread: a provider that
    /// blocks in <see cref="ICorsKitPolicyProvider.GetPolicyAsync"/> holds only that thread) and waits at most the budget,
    /// counted from the call's admission with the bulkhead's clock. Throws what the provider threw,
    /// <see cref="TimeoutException"/> past the budget, or <see cref="BulkheadFullException"/> (the provider was not
    /// called) when the bulkhead is full; the caller fails closed. Ends with <see cref="OperationCanceledException"/> when
    /// the request is aborted. A policy drawing from an origin source that no host reads (only named and endpoint
    /// policies' sources are read) is reported once, after the host has started: its origins are refused (event 51), or, when
    /// a host that has stopped read it, served from the copy that host left until MaxStaleness after it turned stale (event 52).
    /// </summary>
    public async ValueTask<CorsPolicy?> GetPolicyAsync(HttpContext context)
    {
        var policy = await _bulkhead.RunAsync(
            static (Call call) => call.Provider.GetPolicyAsync(call.Context, call.Context.RequestAborted),
            new Call(_provider, context),
            _timeout,
            _caller,
            context.RequestAborted).ConfigureAwait(false);
        if (policy?.OriginSource is { IsSynced: false } source && _started.IsCancellationRequested && Interlocked.Exchange(ref _warnedSourceNotRead, 1) == 0)
        {
            // Never read, or failed closed: refused. Read by a host that has stopped since: its copy is served as it was,
            // stale from its last read (the last host to stop marked it so), until MaxStaleness after that.
            if (source.Status is OriginSourceStatus.Current or OriginSourceStatus.Stale)
            {
                Log.ProviderSourceLeftBehind(_logger, Name, source.Name, source.LastReadAt, source.RefusedFrom);
            }
            else
            {
                Log.ProviderSourceNotRead(_logger, Name, source.Name);
            }
        }

        return policy;
    }

    private readonly record struct Call(ICorsKitPolicyProvider Provider, HttpContext Context);
}

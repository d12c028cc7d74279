using CorsKit.Policies;
using Microsoft.AspNetCore.Http;
using CorsPolicy = CorsKit.Policies.CorsPolicy;

namespace CorsKit.AspNetCore.Providers;

/// <summary>A registered <see cref="ICorsKitPolicyProvider"/> and the bound CorsKit waits for it.</summary>
internal sealed class PolicyProvider
{
    private readonly ICorsKitPolicyProvider _provider;
    private readonly TimeSpan _timeout;

    public PolicyProvider(string name, ICorsKitPolicyProvider provider, TimeSpan timeout)
    {
        if (timeout <= TimeSpan.Zero)
        {
            throw new CorsPolicyException($"PolicyProviderTimeout is {timeout}; it must be positive (default 1 second)");
        }

        Name = name;
        _provider = provider;
        _timeout = timeout;
    }

    /// <summary>The name it was registered under, for logs.</summary>
    public string Name { get; }

    /// <summary>
    /// Asks the provider. Completes synchronously (allocating nothing) when the provider does; otherwise waits at most
    /// the timeout. Throws what the provider threw, or <see cref="TimeoutException"/>; the caller fails closed.
    /// </summary>
    public ValueTask<CorsPolicy?> GetPolicyAsync(HttpContext context)
    {
        var pending = _provider.GetPolicyAsync(context, context.RequestAborted);
        return pending.IsCompleted ? pending : new(pending.AsTask().WaitAsync(_timeout, context.RequestAborted));
    }
}

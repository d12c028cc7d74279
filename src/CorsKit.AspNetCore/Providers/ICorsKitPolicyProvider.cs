using Microsoft.AspNetCore.Http;
using CorsPolicy = CorsKit.Policies.CorsPolicy;

namespace CorsKit.AspNetCore;

/// <summary>
/// Chooses the policy per request, for policies that cannot be fixed at startup (for example each tenant's origins,
/// read from a database). Register it under a name with <see cref="CorsKitOptions.AddPolicyProvider{TProvider}"/> and
/// use that name like any policy's (<c>WithCors("tenants")</c>, or as the default).
/// </summary>
/// <remarks>
/// Build each <see cref="CorsPolicy"/> once and cache it: <see cref="Policies.CorsPolicyBuilder.Build"/> validates and
/// compiles, which is not meant for every request. CorsKit calls the provider on a thread of its own (never a
/// thread-pool thread, so a provider that blocks holds only that thread) and waits for the answer at most
/// <see cref="CorsKitOptions.PolicyProviderTimeout"/> (1 s, or the timeout given to <c>AddPolicyProvider</c>), with at most
/// <see cref="CorsKitOptions.MaxUserCodeCallsInFlight"/> calls of user code in flight. A provider that throws, does not
/// answer in time, or is not called because that bound is reached fails closed: the response goes out without CORS
/// headers, with <c>Vary: Origin</c> (a preflight gets 204 without them) and the error is logged once (event 9). A call
/// past its budget keeps its place in the bound until it returns, so keep the provider fast: read a cache.
/// </remarks>
public interface ICorsKitPolicyProvider
{
    /// <summary>The policy for this request, or <see langword="null"/> for no CORS.</summary>
    /// <param name="context">The request; routing has run, so its endpoint and route values are known.</param>
    /// <param name="cancellationToken">The request's <see cref="HttpContext.RequestAborted"/>.</param>
    ValueTask<CorsPolicy?> GetPolicyAsync(HttpContext context, CancellationToken cancellationToken);
}

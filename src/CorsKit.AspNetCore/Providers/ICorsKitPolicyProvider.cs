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
/// compiles, which is not meant for every request. CorsKit waits for the answer at most
/// <see cref="CorsKitOptions.PolicyProviderTimeout"/>. A provider that throws, or does not answer in time, fails closed:
/// the response goes out without CORS headers, with <c>Vary: Origin</c> (a preflight gets 204 without them) and the error is logged once
/// (event 9). Return a completed task when the answer is at hand; blocking inside this method blocks the request.
/// </remarks>
public interface ICorsKitPolicyProvider
{
    /// <summary>The policy for this request, or <see langword="null"/> for no CORS.</summary>
    /// <param name="context">The request; routing has run, so its endpoint and route values are known.</param>
    /// <param name="cancellationToken">The request's <see cref="HttpContext.RequestAborted"/>.</param>
    ValueTask<CorsPolicy?> GetPolicyAsync(HttpContext context, CancellationToken cancellationToken);
}

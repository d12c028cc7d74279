using Microsoft.AspNetCore.Http;
using CorsPolicy = CorsKit.Policies.CorsPolicy;

namespace CorsKit.AspNetCore.Providers;

/// <summary>A policy provider given as a function.</summary>
internal sealed class FunctionPolicyProvider(Func<HttpContext, CancellationToken, ValueTask<CorsPolicy?>> provider) : ICorsKitPolicyProvider
{
    public ValueTask<CorsPolicy?> GetPolicyAsync(HttpContext context, CancellationToken cancellationToken) => provider(context, cancellationToken);
}

namespace CorsKit.Evaluation;

/// <summary>The facts of a request that CORS decides on, free of any web framework.</summary>
/// <param name="Method">The request method, as sent.</param>
/// <param name="Origin">The <c>Origin</c> value, or <see langword="null"/> when absent. Several header lines arrive joined by commas (and are then malformed).</param>
/// <param name="AccessControlRequestMethod">The <c>Access-Control-Request-Method</c> value, or <see langword="null"/>.</param>
/// <param name="AccessControlRequestHeaders">The <c>Access-Control-Request-Headers</c> value, or <see langword="null"/>.</param>
/// <param name="RequestsPrivateNetwork">Whether <c>Access-Control-Request-Private-Network: true</c> was sent.</param>
/// <param name="Tenant">
/// The request's tenant, for a policy drawing origins from a <see cref="Sources.OriginSource"/> per tenant (chosen as the
/// policy's <see cref="Policies.CorsPolicy.OriginTenant"/> says); <see langword="null"/> for none.
/// </param>
public readonly record struct CorsRequest(
    string Method,
    string? Origin,
    string? AccessControlRequestMethod = null,
    string? AccessControlRequestHeaders = null,
    bool RequestsPrivateNetwork = false,
    string? Tenant = null)
{
    /// <summary>Whether this is a CORS preflight: <c>OPTIONS</c> with <c>Origin</c> and <c>Access-Control-Request-Method</c>.</summary>
    public bool IsPreflight => Origin is not null && AccessControlRequestMethod is not null && string.Equals(Method, "OPTIONS", StringComparison.OrdinalIgnoreCase);
}

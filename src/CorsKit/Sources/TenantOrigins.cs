namespace CorsKit.Sources;

/// <summary>The origins of one tenant, as an <see cref="IOriginStore"/> holds them.</summary>
/// <param name="Tenant">The tenant (<c>""</c> for policies without tenants).</param>
/// <param name="Origins">The entries, as stored (the source validates and normalises them).</param>
public readonly record struct TenantOrigins(string Tenant, IReadOnlyCollection<string> Origins);

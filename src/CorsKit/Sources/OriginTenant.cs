namespace CorsKit.Sources;

/// <summary>
/// How a request's tenant is chosen, for a policy that draws origins from an <see cref="OriginSource"/>. The host
/// (CorsKit.AspNetCore) reads it from the request; a request whose tenant is missing is checked against no tenant's origins.
/// </summary>
public sealed class OriginTenant
{
    private OriginTenant(OriginTenantKind kind, string? routeValueName)
    {
        Kind = kind;
        RouteValueName = routeValueName;
    }

    /// <summary>No tenants: every request is checked against the origins of the tenant <c>""</c>.</summary>
    public static OriginTenant None { get; } = new(OriginTenantKind.None, null);

    /// <summary>The request's host chooses the tenant: lower-case, without the port.</summary>
    public static OriginTenant Host { get; } = new(OriginTenantKind.Host, null);

    /// <summary>What chooses the tenant.</summary>
    public OriginTenantKind Kind { get; }

    /// <summary>The route value's name, for <see cref="OriginTenantKind.RouteValue"/>.</summary>
    public string? RouteValueName { get; }

    /// <summary>A route value chooses the tenant, such as <c>tenant</c> in <c>/tenants/{tenant}/orders</c>.</summary>
    /// <param name="name">The route value's name.</param>
    public static OriginTenant FromRouteValue(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new(OriginTenantKind.RouteValue, name);
    }

    /// <inheritdoc/>
    public override string ToString() => Kind switch
    {
        OriginTenantKind.RouteValue => $"route value '{RouteValueName}'",
        OriginTenantKind.Host => "host",
        _ => "none",
    };
}

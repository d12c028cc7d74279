namespace CorsKit.Sources;

/// <summary>What chooses the tenant whose origins a request is checked against.</summary>
public enum OriginTenantKind
{
    /// <summary>No tenants: every request is checked against the tenant <c>""</c>.</summary>
    None,

    /// <summary>A route value, such as <c>{tenant}</c> in <c>/tenants/{tenant}/orders</c>.</summary>
    RouteValue,

    /// <summary>The request's host, lower-cased and without its port (<c>acme.api.example.com</c>).</summary>
    Host,
}

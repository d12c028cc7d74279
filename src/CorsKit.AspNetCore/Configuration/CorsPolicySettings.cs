using CorsKit.Policies;

namespace CorsKit.AspNetCore.Configuration;

/// <summary>One policy as written in configuration (for example <c>appsettings.json</c>); every list may contain <c>*</c>.</summary>
public sealed class CorsPolicySettings
{
    /// <summary>Origins: exact, <c>https://*.example.com</c>, <c>null</c>, or <c>*</c>.</summary>
    public List<string> Origins { get; set; } = [];

    /// <summary>Regular expressions matched against the whole origin.</summary>
    public List<string> OriginPatterns { get; set; } = [];

    /// <summary>
    /// Whether origin patterns that need the backtracking engine (lookarounds, backreferences) are accepted, with a 50 ms
    /// match timeout (<see cref="CorsPolicyBuilder.AllowBacktrackingOriginRegex"/>). Default <see langword="false"/>: refused.
    /// </summary>
    public bool AllowBacktrackingOriginRegex { get; set; }

    /// <summary>Allowed methods, or <c>*</c>.</summary>
    public List<string> Methods { get; set; } = [];

    /// <summary>Allowed request headers, or <c>*</c>.</summary>
    public List<string> Headers { get; set; } = [];

    /// <summary>Response headers script may read.</summary>
    public List<string> ExposedHeaders { get; set; } = [];

    /// <summary>Whether credentials are allowed. Default <see langword="false"/>.</summary>
    public bool AllowCredentials { get; set; }

    /// <summary>Preflight cache lifetime in seconds; unset sends no <c>Access-Control-Max-Age</c>.</summary>
    public int? MaxAgeSeconds { get; set; }

    /// <summary>Whether private network access is allowed. Default <see langword="false"/>.</summary>
    public bool AllowPrivateNetwork { get; set; }

    /// <summary>Status of answered preflights. Default 204.</summary>
    public int PreflightStatus { get; set; } = 204;

    /// <summary>Whether preflights go on to the endpoint. Default <see langword="false"/>.</summary>
    public bool PassPreflightToEndpoint { get; set; }

    /// <summary>Applies these settings to a builder.</summary>
    /// <param name="builder">The builder.</param>
    public void ApplyTo(CorsPolicyBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // A wildcard entry in configuration means its subdomains, as CorsKit's configuration has always read it.
        builder.WithOrigins([.. Origins]).SetIsOriginAllowedToAllowWildcardSubdomains().WithOriginRegex([.. OriginPatterns]).WithMethods([.. Methods])
            .WithHeaders([.. Headers]).WithExposedHeaders([.. ExposedHeaders]).WithPreflightStatus(PreflightStatus);
        if (AllowCredentials)
        {
            builder.AllowCredentials();
        }

        if (AllowBacktrackingOriginRegex)
        {
            builder.AllowBacktrackingOriginRegex();
        }

        if (MaxAgeSeconds is { } seconds)
        {
            builder.WithMaxAge(TimeSpan.FromSeconds(seconds));
        }

        if (AllowPrivateNetwork)
        {
            builder.AllowPrivateNetwork();
        }

        if (PassPreflightToEndpoint)
        {
            builder.PassPreflightToEndpoint();
        }
    }
}

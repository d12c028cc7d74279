using System.Text.RegularExpressions;
using MicrosoftPolicyBuilder = Microsoft.AspNetCore.Cors.Infrastructure.CorsPolicyBuilder;
using CorsKitPolicyBuilder = CorsKit.Policies.CorsPolicyBuilder;

namespace CorsKit.Benchmarks.Infrastructure;

/// <summary>
/// One CORS policy written once and applied to both builders, so Microsoft's and CorsKit's pipelines decide by the same
/// rules. Defaults are the README's policy: PUT and DELETE, headers X-Token and Content-Type, credentials, exposes
/// X-Total-Count, max-age 600 s.
/// </summary>
public sealed record PolicyShape
{
    public const string AppOrigin = "https://app.example.com";

    public IReadOnlyList<string> Origins { get; init; } = [AppOrigin];

    /// <summary>Whole-origin regular expressions (anchored for both).</summary>
    public IReadOnlyList<string> OriginRegexes { get; init; } = [];

    public IReadOnlyList<string> Methods { get; init; } = ["PUT", "DELETE"];

    public IReadOnlyList<string> Headers { get; init; } = ["X-Token", "Content-Type"];

    public IReadOnlyList<string> ExposedHeaders { get; init; } = ["X-Total-Count"];

    public bool AllowCredentials { get; init; } = true;

    /// <summary>
    /// CorsKit only: an origin source from which CorsKit's policy takes its origins instead of <see cref="Origins"/>
    /// (which Microsoft's policy, having no sources, still lists), for the tenant <see cref="SourceTenant"/> chooses.
    /// </summary>
    public CorsKit.Sources.OriginSource? OriginSource { get; init; }

    /// <summary>How <see cref="OriginSource"/>'s tenant is chosen: by default the request's host.</summary>
    public CorsKit.Sources.OriginTenant SourceTenant { get; init; } = CorsKit.Sources.OriginTenant.Host;

    public TimeSpan MaxAge { get; init; } = TimeSpan.FromMinutes(10);

    public void ApplyTo(CorsKitPolicyBuilder policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (Origins.Count > 0 && OriginSource is null)
        {
            policy.WithOrigins([.. Origins]);
            if (Origins.Any(o => o.Contains('*', StringComparison.Ordinal)))
            {
                policy.SetIsOriginAllowedToAllowWildcardSubdomains();
            }
        }

        if (OriginRegexes.Count > 0)
        {
            policy.WithOriginRegex([.. OriginRegexes]);
        }

        if (OriginSource is not null)
        {
            policy.WithOriginsFrom(OriginSource, SourceTenant);
        }

        policy.WithMethods([.. Methods]).WithHeaders([.. Headers]).WithExposedHeaders([.. ExposedHeaders]).WithMaxAge(MaxAge);
        if (AllowCredentials)
        {
            policy.AllowCredentials();
        }
    }

    public void ApplyTo(MicrosoftPolicyBuilder policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (Origins.Count > 0)
        {
            policy.WithOrigins([.. Origins]);
            if (Origins.Any(o => o.Contains('*', StringComparison.Ordinal)))
            {
                policy.SetIsOriginAllowedToAllowWildcardSubdomains();
            }
        }

        if (OriginRegexes.Count > 0)
        {
            // What a Microsoft user writes for regex origins: compiled, anchored expressions tried in turn.
            var regexes = OriginRegexes
                .Select(p => new Regex(@"\A(?:" + p + @")\z", RegexOptions.CultureInvariant | RegexOptions.Compiled, TimeSpan.FromMilliseconds(100)))
                .ToArray();
            policy.SetIsOriginAllowed(origin =>
            {
                foreach (var regex in regexes)
                {
                    if (regex.IsMatch(origin))
                    {
                        return true;
                    }
                }

                return false;
            });
        }

        policy.WithMethods([.. Methods]).WithHeaders([.. Headers]).WithExposedHeaders([.. ExposedHeaders]).SetPreflightMaxAge(MaxAge);
        if (AllowCredentials)
        {
            policy.AllowCredentials();
        }
    }
}

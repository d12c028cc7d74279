using CorsKit.Policies;
using Microsoft.Extensions.Configuration;

namespace CorsKit.AspNetCore.Configuration;

/// <summary>
/// Builds a policy from configuration, and when it is refused, names the configuration path of each bad entry
/// (<c>CorsKit:Policies:spa:Origins:0</c>), so the fix is made in the right file at the right line.
/// </summary>
internal static class ConfiguredPolicy
{
    // A valid origin for probing one entry that is not an origin.
    private const string ProbeOrigin = CorsKit.Origins.OriginRegexProbes.ProbeOrigin;

    /// <summary>Builds the policy <paramref name="name"/> configured at <paramref name="path"/>.</summary>
    /// <exception cref="CorsPolicyException">Each problem is prefixed with the path of its entry.</exception>
    public static CorsPolicy Build(CorsPolicySettings settings, string name, string path)
    {
        var builder = new CorsPolicyBuilder(name);
        settings.ApplyTo(builder);
        try
        {
            return builder.Build();
        }
        catch (CorsPolicyException refused)
        {
            // The builder judges each entry on its own (with the policy's credentials and regex engine): an entry built
            // alone gives the same words for its own problem, which is how a problem finds its entry.
            var located = new Dictionary<string, string>(StringComparer.Ordinal);
            void Probe(string key, Action<CorsPolicyBuilder> entry)
            {
                var probe = new CorsPolicyBuilder(name);
                if (settings.AllowCredentials)
                {
                    probe.AllowCredentials();
                }

                if (settings.AllowBacktrackingOriginRegex)
                {
                    probe.AllowBacktrackingOriginRegex();
                }

                entry(probe);
                try
                {
                    probe.Build();
                }
                catch (CorsPolicyException problem)
                {
                    foreach (var words in problem.Problems)
                    {
                        located.TryAdd(words, ConfigurationPath.Combine(path, key));
                    }
                }
            }

            Each(settings.Origins, nameof(settings.Origins), (b, v) => b.WithOrigins(v));
            Each(settings.OriginPatterns, nameof(settings.OriginPatterns), (b, v) => b.WithOriginRegex(v));
            Each(settings.Methods, nameof(settings.Methods), (b, v) => b.WithOrigins(ProbeOrigin).WithMethods(v));
            Each(settings.Headers, nameof(settings.Headers), (b, v) => b.WithOrigins(ProbeOrigin).WithHeaders(v));
            Each(settings.ExposedHeaders, nameof(settings.ExposedHeaders), (b, v) => b.WithOrigins(ProbeOrigin).WithExposedHeaders(v));
            Probe(nameof(settings.PreflightStatus), b => b.WithOrigins(ProbeOrigin).WithPreflightStatus(settings.PreflightStatus));
            if (settings.MaxAgeSeconds is { } seconds)
            {
                Probe(nameof(settings.MaxAgeSeconds), b => b.WithOrigins(ProbeOrigin).WithMaxAge(TimeSpan.FromSeconds(seconds)));
            }

            // What no single entry causes (no origin at all, '*' beside other origins) belongs to the policy's origins.
            var problems = refused.Problems
                .Select(words => $"{located.GetValueOrDefault(words, ConfigurationPath.Combine(path, nameof(settings.Origins)))}: {words}")
                .ToList();
            throw new CorsPolicyException(name, problems);

            void Each(List<string> values, string key, Action<CorsPolicyBuilder, string> apply)
            {
                for (var i = 0; i < values.Count; i++)
                {
                    var value = values[i];
                    Probe(ConfigurationPath.Combine(key, i.ToString(System.Globalization.CultureInfo.InvariantCulture)), b => apply(b, value));
                }
            }
        }
    }
}

using System.Text.RegularExpressions;

namespace CorsKit.Origins;

/// <summary>
/// Decides what an origin regular expression allows by running it on probe origins, never by reading its text: a pattern
/// that accepts a host nobody configured (<c>corskit-probe.invalid</c>) accepts any host; one that accepts a made-up name
/// directly under a public suffix (<c>corskitprobe.co.uk</c>) accepts every site registered under that suffix.
/// </summary>
internal static class OriginRegexProbes
{
    /// <summary>The host no policy names: a pattern that matches it matches any host.</summary>
    public const string ProbeHost = "corskit-probe.invalid";

    /// <summary>The label put in front of each public suffix (letters only, so <c>[a-z]+</c> matches it too).</summary>
    public const string ProbeLabel = "corskitprobe";

    private static readonly string[] Schemes = ["https", "http"];

    // Development servers and alternative HTTPS ports: a pattern that pins the port but not the host still matches any host.
    private static readonly string[] Ports = [string.Empty, ":3000", ":8080", ":8443"];

    private static readonly string[] AnyHostProbes = [.. Ports.SelectMany(port => Schemes.Select(scheme => $"{scheme}://{ProbeHost}{port}"))];

    private static readonly Lazy<(string Suffix, string Origin)[]> SuffixProbes = new(
        () => [.. PublicSuffixList.Instance.Suffixes(ProbeLabel).SelectMany(suffix => Schemes.Select(scheme => (suffix, $"{scheme}://{ProbeLabel}.{suffix}")))]);

    /// <summary>The first probe origin with an unconfigured host that <paramref name="regex"/> matches, or <see langword="null"/>.</summary>
    /// <param name="regex">One anchored origin pattern.</param>
    public static string? MatchesAnyHost(Regex regex)
    {
        ArgumentNullException.ThrowIfNull(regex);
        return AnyHostProbes.FirstOrDefault(probe => IsMatch(regex, probe));
    }

    /// <summary>
    /// For each pattern, the broadest public suffix under which it matches a made-up name, and the probe origin matched;
    /// patterns that match none are absent. <paramref name="combined"/> (all the patterns in one alternation) is run on every
    /// probe; only its matches are run again on each pattern.
    /// </summary>
    /// <param name="combined">The anchored alternation of <paramref name="patterns"/>, on the linear-time engine.</param>
    /// <param name="patterns">Each anchored pattern, on the linear-time engine.</param>
    public static Dictionary<int, (string Suffix, string Origin)> MatchesPublicSuffix(IReadOnlyList<Regex> combined, IReadOnlyList<Regex> patterns)
    {
        ArgumentNullException.ThrowIfNull(combined);
        ArgumentNullException.ThrowIfNull(patterns);
        var found = new Dictionary<int, (string Suffix, string Origin)>();
        foreach (var probe in SuffixProbes.Value)
        {
            if (!combined.Any(regex => IsMatch(regex, probe.Origin)))
            {
                continue;
            }

            for (var i = 0; i < patterns.Count; i++)
            {
                if (!found.ContainsKey(i) && IsMatch(patterns[i], probe.Origin))
                {
                    found.Add(i, probe);
                }
            }

            if (found.Count == patterns.Count)
            {
                break;
            }
        }

        return found;
    }

    // A probe that runs out of time proves nothing either way; the pattern is then judged by the other probes.
    private static bool IsMatch(Regex regex, string origin)
    {
        try
        {
            return regex.IsMatch(origin);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }
}

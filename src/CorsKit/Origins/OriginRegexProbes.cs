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

    /// <summary>An origin on <see cref="ProbeHost"/>: no one lists it, so an origin test that allows it allows any origin.</summary>
    public const string ProbeOrigin = "https://" + ProbeHost;

    /// <summary>The label put in front of each public suffix (letters only, so <c>[a-z]+</c> matches it too).</summary>
    public const string ProbeLabel = "corskitprobe";

    private static readonly string[] Schemes = ["https", "http"];

    // Top-level domains no list has: the probe label, and short ones for patterns that bound the length ("[a-z]{2,6}").
    // "zz" is user-assigned in ISO 3166, and two-letter top-level domains are kept for country codes, so it stays free.
    private static readonly string[] TopLevelProbes = [ProbeLabel, "zz", "zzz"];

    private static readonly System.Buffers.SearchValues<char> Ipv4Chars = System.Buffers.SearchValues.Create("0123456789.");

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

    /// <summary>
    /// A lookalike of an origin the pattern is meant to match (read from the pattern by <see cref="RegexSample"/>, and kept
    /// only if the pattern matches it) that the pattern matches too: the host continued by a domain anyone can register
    /// (<c>https://app.example.com.corskit-probe.invalid</c>), or the registrable domain with letters in front
    /// (<c>https://corskitprobeexample.com</c>). <see langword="null"/> when neither matches, or no sample could be read.
    /// </summary>
    /// <param name="regex">The anchored pattern.</param>
    /// <param name="pattern">The pattern as written.</param>
    public static OriginLookalike? MatchesLookalike(Regex regex, string pattern)
    {
        ArgumentNullException.ThrowIfNull(regex);
        ArgumentNullException.ThrowIfNull(pattern);
        foreach (var (_, origin) in Samples(regex, pattern))
        {
            var port = Port(origin);
            var continued = $"{origin.Scheme}://{origin.Host}.{ProbeHost}{port}";
            if (IsMatch(regex, continued))
            {
                return new OriginLookalike(continued, origin.Scheme, Registrable: null);
            }

            if (RegistrableDomain(origin.Host) is { } registrable)
            {
                var prefixed = $"{origin.Scheme}://{ProbeLabel}{registrable}{port}";
                if (IsMatch(regex, prefixed))
                {
                    return new OriginLookalike(prefixed, origin.Scheme, registrable);
                }
            }
        }

        return null;
    }

    /// <summary>
    /// A class or escape that stands where the host of an origin the pattern is meant to match has a dot, and that takes a
    /// hyphen or a letter there as well (or one that chose another character and takes a dot there too), so that the
    /// pattern matches another registrable domain
    /// (<c>https://app[.-]example\.com</c> matches <c>https://app-example.com</c>). <see langword="null"/> when none does,
    /// or no sample could be read; a change that stays under the same registrable domain is no finding.
    /// </summary>
    /// <param name="regex">The anchored pattern.</param>
    /// <param name="pattern">The pattern as written.</param>
    public static RegexDotStandIn? MatchesDotStandIn(Regex regex, string pattern)
    {
        ArgumentNullException.ThrowIfNull(regex);
        ArgumentNullException.ThrowIfNull(pattern);
        foreach (var (sample, origin) in Samples(regex, pattern))
        {
            var text = sample.Text;
            var hostStart = text.IndexOf("://", StringComparison.Ordinal) + 3;
            if (string.CompareOrdinal(text, hostStart, origin.Host, 0, origin.Host.Length) != 0)
            {
                continue;
            }

            var registrable = RegistrableDomain(origin.Host);
            for (var i = hostStart; i < hostStart + origin.Host.Length; i++)
            {
                if (sample.Classes[i] is not { } construct)
                {
                    continue;   // a literal: the pattern spells that character out
                }

                // A dot the class chose is tried as a hyphen and a letter; any other character it chose, as a dot.
                foreach (var other in text[i] == '.' ? "-x" : ".")
                {
                    var probe = string.Concat(text.AsSpan(0, i), [other], text.AsSpan(i + 1));
                    if (!Origin.IsSerializedTupleOrigin(probe) || !IsMatch(regex, probe) || !Origin.TryParse(probe, out var probeOrigin, out _)
                        || RegistrableDomain(probeOrigin.Host) == registrable)
                    {
                        continue;
                    }

                    var (letIn, dotted) = text[i] == '.' ? (probe, origin.Host) : (text, probeOrigin.Host);
                    var (start, end) = (construct.Start.Value, construct.End.Value);
                    return new RegexDotStandIn(letIn, dotted, pattern[start..end], pattern[..start] + @"\." + pattern[end..]);
                }
            }
        }

        return null;
    }

    /// <summary>
    /// The origin the pattern is meant to match with its top-level domain replaced by one no list has
    /// (<c>https://example.corskitprobe</c> for <c>https://(www\.)?example\.[a-z]+</c>, <c>.zz</c> or <c>.zzz</c> for a
    /// bounded class such as <c>[a-z]{2,6}</c>), when the pattern matches it: the same name under any top-level domain,
    /// where anyone can register it. <see langword="null"/> otherwise.
    /// </summary>
    /// <param name="regex">The anchored pattern.</param>
    /// <param name="pattern">The pattern as written.</param>
    public static string? MatchesAnyTopLevelDomain(Regex regex, string pattern)
    {
        ArgumentNullException.ThrowIfNull(regex);
        ArgumentNullException.ThrowIfNull(pattern);
        foreach (var (_, origin) in Samples(regex, pattern))
        {
            var lastDot = origin.Host.LastIndexOf('.');
            if (lastDot <= 0)
            {
                continue;
            }

            foreach (var label in TopLevelProbes)
            {
                var probe = $"{origin.Scheme}://{origin.Host[..(lastDot + 1)]}{label}{Port(origin)}";
                if (IsMatch(regex, probe))
                {
                    return probe;
                }
            }
        }

        return null;
    }

    // The origins the pattern is meant to match, shortest first, lower-cased as browsers send them (so "(?i)HTTPS://APP..."
    // is judged like "https://app..."), and kept only when the pattern matches them; IPv6 hosts are left out.
    private static IEnumerable<(RegexSampleText Sample, Origin Origin)> Samples(Regex regex, string pattern)
    {
        foreach (var minimal in new[] { true, false })
        {
            if (RegexSample.Read(pattern, minimal) is not { } read)
            {
                continue;
            }

            var text = read.Text.ToLowerInvariant();
            if (!Origin.IsSerializedTupleOrigin(text) || !IsMatch(regex, text) || !Origin.TryParse(text, out var origin, out _) || origin.Host.StartsWith('['))
            {
                continue;
            }

            yield return (read with { Text = text }, origin);
        }
    }

    private static string Port(Origin origin) =>
        origin.Port is { } p ? ":" + p.ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty;

    // The public suffix and one label before it ("example.co.uk" for "app.example.co.uk"); null for an IPv4 address,
    // localhost, a single label or a public suffix itself.
    private static string? RegistrableDomain(string host)
    {
        if (host == "localhost" || host.EndsWith(".localhost", StringComparison.Ordinal) || !host.Contains('.', StringComparison.Ordinal)
            || !host.AsSpan().ContainsAnyExcept(Ipv4Chars))
        {
            return null;
        }

        var suffix = PublicSuffixList.Instance.GetPublicSuffix(host);
        if (suffix.Length >= host.Length)
        {
            return null;
        }

        var before = host[..(host.Length - suffix.Length - 1)];
        return before[(before.LastIndexOf('.') + 1)..] + "." + suffix;
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

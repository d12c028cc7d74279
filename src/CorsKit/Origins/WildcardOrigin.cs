namespace CorsKit.Origins;

/// <summary>
/// A policy entry <c>scheme://*.domain[:port]</c>: any subdomain of <c>domain</c>, at any depth, with that scheme and port.
/// Never the apex itself (list it separately) and never a name that merely ends in the same letters
/// (<c>https://*.example.com</c> does not match <c>https://evilexample.com</c>). Never a public suffix either
/// (<c>https://*.co.uk</c>, <c>https://*.github.io</c>, by the Public Suffix List): anyone can register a name there.
/// </summary>
internal sealed class WildcardOrigin
{
    private readonly string _prefix;   // "https://"
    private readonly string _suffix;   // ".example.com" or ".example.com:8443"

    private WildcardOrigin(string prefix, string suffix, string pattern)
    {
        _prefix = prefix;
        _suffix = suffix;
        Pattern = pattern;
    }

    /// <summary>The normalised entry, such as <c>https://*.example.com</c>.</summary>
    public string Pattern { get; }

    /// <summary>Whether <paramref name="entry"/> is written as a wildcard entry (contains <c>*</c> but is not the lone <c>*</c>).</summary>
    public static bool IsWildcardEntry(string entry) => entry != "*" && entry.Contains('*', StringComparison.Ordinal);

    /// <summary>Parses a wildcard entry, or returns the reason it is not one CorsKit accepts.</summary>
    public static WildcardOrigin? TryParse(string entry, out string? error)
    {
        error = null;
        var schemeEnd = entry.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0)
        {
            error = $"\"{entry}\" has no scheme; write the wildcard as \"https://*.example.com\"";
            return null;
        }

        var afterScheme = entry[(schemeEnd + 3)..];
        if (!afterScheme.StartsWith("*.", StringComparison.Ordinal) || afterScheme.IndexOf('*', 1) >= 0)
        {
            error = $"\"{entry}\" puts '*' somewhere other than the whole first label; the only wildcard form is \"scheme://*.domain[:port]\"";
            return null;
        }

        // Validate and normalise what follows "*." as an ordinary origin (lower case, punycode, default port dropped).
        var baseText = entry[..(schemeEnd + 3)] + afterScheme[2..];
        if (!Origin.TryParse(baseText, out var baseOrigin, out var baseError))
        {
            // Name the entry as written and keep "*." in the suggested fix: advice without it would allow only the apex.
            var scheme = entry[..schemeEnd].ToLowerInvariant();
            error = "wildcard " + baseError
                .Replace($", so write \"{scheme}://", $", so write \"{scheme}://*.", StringComparison.Ordinal)
                .Replace($"\"{baseText}\"", $"\"{entry}\"", StringComparison.Ordinal);
            return null;
        }

        // Judged without a trailing dot, which would otherwise slip "*.com." past the checks below.
        var host = baseOrigin.Host.TrimEnd('.');
        if (!host.Contains('.', StringComparison.Ordinal) && host != "localhost")
        {
            // The Public Suffix List's implicit rule "*": every top-level domain is a public suffix.
            error = $"\"{entry}\" matches every site under the top-level domain \"{host}\"; name a registrable domain such as \"https://*.example.com\"";
            return null;
        }

        var port = baseOrigin.Port is { } p ? ":" + p.ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty;
        // "localhost" is resolved on the machine itself (RFC 6761), so its subdomains are the developer's own.
        if (host != "localhost" && !host.StartsWith('[') && PublicSuffixList.Instance.IsPublicSuffix(host))
        {
            error = $"\"{entry}\" matches every site under the public suffix \"{host}\", where anyone can register a name; "
                + $"name a domain you control under it, such as \"{baseOrigin.Scheme}://*.example.{host}{port}\"";
            return null;
        }

        if (host.Length != baseOrigin.Host.Length)
        {
            error = TrailingDot(entry, $"{baseOrigin.Scheme}://*.{host}{port}");
            return null;
        }

        var prefix = baseOrigin.Scheme + "://";
        var suffix = "." + baseOrigin.Serialized[prefix.Length..];
        return new WildcardOrigin(prefix, suffix, prefix + "*" + suffix);
    }

    /// <summary>
    /// The refusal of an entry whose host ends with a dot. Browsers keep the dot (<c>https://app.example.com.</c> is another
    /// origin than <c>https://app.example.com</c>), so nobody means it, and it would slip a public suffix past a label count.
    /// </summary>
    /// <param name="entry">The entry as written.</param>
    /// <param name="fix">The entry without the dot.</param>
    public static string TrailingDot(string entry, string fix) =>
        $"\"{entry}\" ends its host with a dot, which browsers keep: it matches only that spelling of the host, never the origin a site normally sends; write \"{fix}\"";

    /// <summary><see cref="TrailingDot(string, string)"/> for an exact origin entry, the fix being the origin without the dot.</summary>
    /// <param name="entry">The entry as written.</param>
    /// <param name="parsed">The entry parsed; its host ends with a dot.</param>
    public static string TrailingDot(string entry, Origin parsed)
    {
        var port = parsed.Port is { } p ? ":" + p.ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty;
        return TrailingDot(entry, $"{parsed.Scheme}://{parsed.Host.TrimEnd('.')}{port}");
    }

    /// <summary>Whether the serialized request origin is a strict subdomain of this entry's domain.</summary>
    /// <param name="origin">A value already checked by <see cref="Origin.IsSerializedTupleOrigin"/>.</param>
    public bool Matches(ReadOnlySpan<char> origin)
    {
        if (origin.Length <= _prefix.Length + _suffix.Length || !origin.StartsWith(_prefix, StringComparison.Ordinal) || !origin.EndsWith(_suffix, StringComparison.Ordinal))
        {
            return false;
        }

        // The labels before the domain: non-empty, no port, no empty label (the shape check already refused "..").
        var labels = origin[_prefix.Length..^_suffix.Length];
        return !labels.IsEmpty && labels[^1] != '.' && labels.IndexOfAny(":[]") < 0;
    }
}

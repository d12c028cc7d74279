namespace CorsKit.Origins;

/// <summary>
/// A policy entry <c>scheme://*.domain[:port]</c>: any subdomain of <c>domain</c>, at any depth, with that scheme and port.
/// Never the apex itself (list it separately) and never a name that merely ends in the same letters
/// (<c>https://*.example.com</c> does not match <c>https://evilexample.com</c>).
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

        if (!baseOrigin.Host.Contains('.', StringComparison.Ordinal) && baseOrigin.Host != "localhost")
        {
            error = $"\"{entry}\" matches every site under the top-level domain \"{baseOrigin.Host}\"; name a registrable domain such as \"https://*.example.com\"";
            return null;
        }

        var prefix = baseOrigin.Scheme + "://";
        var suffix = "." + baseOrigin.Serialized[prefix.Length..];
        return new WildcardOrigin(prefix, suffix, prefix + "*" + suffix);
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

using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace CorsKit.Origins;

/// <summary>
/// A tuple origin in its serialized form (HTML "serialization of an origin"): <c>scheme://host[:port]</c>,
/// scheme and host lower-cased, the scheme's default port dropped, an internationalised host in punycode.
/// This is the exact string a browser sends in <c>Origin</c> and compares <c>Access-Control-Allow-Origin</c> against.
/// </summary>
public sealed class Origin : IEquatable<Origin>
{
    /// <summary>The serialization of an opaque origin (sandboxed iframes, <c>file:</c> pages, cross-origin redirects).</summary>
    public const string Null = "null";

    private static readonly SearchValues<char> SchemeChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789+-.");
    private static readonly SearchValues<char> HostChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789-._");
    private static readonly SearchValues<char> Ipv6Chars = SearchValues.Create("0123456789abcdef:.");

    private Origin(string scheme, string host, int? port)
    {
        Scheme = scheme;
        Host = host;
        Port = port;
        Serialized = port is null ? $"{scheme}://{host}" : $"{scheme}://{host}:{port.Value.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>The lower-case scheme, such as <c>https</c>.</summary>
    public string Scheme { get; }

    /// <summary>The lower-case ASCII host (punycode for internationalised names; IPv6 in brackets).</summary>
    public string Host { get; }

    /// <summary>The port, or <see langword="null"/> when it is the scheme's default (or the scheme has none).</summary>
    public int? Port { get; }

    /// <summary>The serialized origin, such as <c>https://app.example.com</c>.</summary>
    public string Serialized { get; }

    /// <summary>Parses and normalises an origin, throwing <see cref="FormatException"/> with the reason and the fix.</summary>
    /// <param name="text">An origin such as <c>https://App.Example.com:443</c>.</param>
    public static Origin Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var origin, out var error) ? origin : throw new FormatException(error);
    }

    /// <summary>Parses and normalises an origin.</summary>
    /// <param name="text">An origin such as <c>https://App.Example.com:443</c>.</param>
    /// <param name="origin">The normalised origin, when the text is one.</param>
    /// <param name="error">When it is not: what is wrong and how to write it instead.</param>
    public static bool TryParse(string? text, [NotNullWhen(true)] out Origin? origin, [NotNullWhen(false)] out string? error)
    {
        origin = null;
        if (string.IsNullOrEmpty(text))
        {
            error = "an origin is empty; an origin is scheme://host[:port], for example \"https://app.example.com\"";
            return false;
        }

        if (text.AsSpan().IndexOfAny(" \t\r\n") >= 0)
        {
            error = $"\"{text}\" contains white space; an origin is scheme://host[:port] with no spaces";
            return false;
        }

        var schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0)
        {
            error = $"\"{text}\" has no scheme; an origin is scheme://host[:port], so write \"https://{text.TrimEnd('/')}\" (or http://)";
            return false;
        }

        var scheme = text[..schemeEnd].ToLowerInvariant();
        if (!char.IsAsciiLetter(scheme[0]) || scheme.AsSpan().ContainsAnyExcept(SchemeChars))
        {
            error = $"\"{text}\" has an invalid scheme \"{scheme}\"; an origin is scheme://host[:port]";
            return false;
        }

        var rest = text[(schemeEnd + 3)..];
        var pathStart = rest.IndexOfAny(['/', '?', '#']);
        if (pathStart >= 0)
        {
            var what = rest[pathStart] switch
            {
                '?' => "a query",
                '#' => "a fragment",
                _ => pathStart == rest.Length - 1 ? "a path (a trailing slash)" : "a path",
            };
            error = $"\"{text}\" has {what}; an origin is scheme://host[:port], so write \"{scheme}://{rest[..pathStart]}\"";
            return false;
        }

        if (rest.Contains('@', StringComparison.Ordinal))
        {
            error = $"\"{text}\" has user information (\"...@\"); an origin is scheme://host[:port] and never carries credentials";
            return false;
        }

        if (!TrySplitHostPort(rest, out var hostText, out var portText))
        {
            error = $"\"{text}\" has a malformed host; an origin is scheme://host[:port]";
            return false;
        }

        int? port = null;
        if (portText is not null)
        {
            if (portText.Length == 0 || portText.Length > 5 || portText.AsSpan().ContainsAnyExceptInRange('0', '9')
                || !int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p > 65535)
            {
                error = $"\"{text}\" has an invalid port \"{portText}\"; a port is a number from 0 to 65535";
                return false;
            }

            port = p == DefaultPort(scheme) ? null : p;
        }

        if (!TryNormaliseHost(hostText, out var host))
        {
            error = $"\"{text}\" has an invalid host \"{hostText}\"; an origin is scheme://host[:port]";
            return false;
        }

        origin = new Origin(scheme, host, port);
        error = null;
        return true;
    }

    /// <summary>The default port of a special scheme (URL standard), or <see langword="null"/>.</summary>
    /// <param name="scheme">A lower-case scheme.</param>
    public static int? DefaultPort(string scheme) => scheme switch
    {
        "http" or "ws" => 80,
        "https" or "wss" => 443,
        "ftp" => 21,
        _ => null,
    };

    /// <summary>
    /// Whether <paramref name="value"/> already has the exact shape of a serialized tuple origin as a browser sends it:
    /// lower-case scheme and host, no default port, no path, no user information, nothing outside ASCII.
    /// Allocation-free; used on the request path before any pattern is tried.
    /// </summary>
    /// <param name="value">The request's <c>Origin</c> value.</param>
    public static bool IsSerializedTupleOrigin(ReadOnlySpan<char> value)
    {
        var schemeEnd = value.IndexOf("://");
        if (schemeEnd <= 0 || !char.IsAsciiLetterLower(value[0]) || value[..schemeEnd].ContainsAnyExcept(SchemeChars))
        {
            return false;
        }

        var authority = value[(schemeEnd + 3)..];
        ReadOnlySpan<char> host;
        ReadOnlySpan<char> port = default;
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']');
            if (close < 2 || authority[1..close].ContainsAnyExcept(Ipv6Chars))
            {
                return false;
            }

            host = authority[..(close + 1)];
            var after = authority[(close + 1)..];
            if (!after.IsEmpty)
            {
                if (after[0] != ':')
                {
                    return false;
                }

                port = after[1..];
                if (port.IsEmpty)
                {
                    return false;
                }
            }
        }
        else
        {
            var colon = authority.IndexOf(':');
            host = colon < 0 ? authority : authority[..colon];
            if (colon >= 0)
            {
                port = authority[(colon + 1)..];
                if (port.IsEmpty)
                {
                    return false;
                }
            }

            if (host.IsEmpty || host.ContainsAnyExcept(HostChars) || host[0] == '.' || host.IndexOf("..") >= 0)
            {
                return false;
            }
        }

        if (!port.IsEmpty)
        {
            // No leading zero, at most 65535, and never the scheme's default port (browsers drop it).
            if (port.Length > 5 || port.ContainsAnyExceptInRange('0', '9') || (port[0] == '0' && port.Length > 1)
                || !int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p > 65535)
            {
                return false;
            }

            var scheme = value[..schemeEnd];
            if ((p == 443 && (scheme.SequenceEqual("https") || scheme.SequenceEqual("wss")))
                || (p == 80 && (scheme.SequenceEqual("http") || scheme.SequenceEqual("ws"))))
            {
                return false;
            }
        }

        return true;
    }

    private static bool TrySplitHostPort(string authority, out string host, out string? port)
    {
        port = null;
        host = authority;
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                return false;
            }

            host = authority[..(close + 1)];
            var after = authority[(close + 1)..];
            if (after.Length > 0)
            {
                if (after[0] != ':')
                {
                    return false;
                }

                port = after[1..];
            }

            return true;
        }

        var colon = authority.LastIndexOf(':');
        if (colon >= 0)
        {
            host = authority[..colon];
            port = authority[(colon + 1)..];
        }

        return host.Length > 0;
    }

    private static bool TryNormaliseHost(string host, [NotNullWhen(true)] out string? normalised)
    {
        normalised = null;
        if (host.StartsWith('['))
        {
            var inner = host[1..^1];
            if (!System.Net.IPAddress.TryParse(inner, out var address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
            {
                return false;
            }

            normalised = "[" + address.ToString().ToLowerInvariant() + "]";
            return true;
        }

        try
        {
            // UTS #46 processing: lower-cases, maps and converts to punycode ("bücher.example" -> "xn--bcher-kva.example").
            var ascii = new IdnMapping { UseStd3AsciiRules = false }.GetAscii(host).ToLowerInvariant();
            if (ascii.AsSpan().ContainsAnyExcept(HostChars) || ascii.StartsWith('.') || ascii.Contains("..", StringComparison.Ordinal))
            {
                return false;
            }

            normalised = ascii;
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <inheritdoc/>
    public bool Equals(Origin? other) => other is not null && string.Equals(Serialized, other.Serialized, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Origin);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Serialized);

    /// <summary>The serialized origin.</summary>
    public override string ToString() => Serialized;
}

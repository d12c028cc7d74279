using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace CorsKit.Reliability.Tests.Origins;

/// <summary>
/// What a policy should allow, written from the rules alone and independently of CorsKit's code. An <c>Origin</c> value
/// is allowed only when it is exactly the serialization a browser sends (HTML "serialization of an origin":
/// <c>scheme://host[:port]</c>, lower case, punycode, no default port, nothing else) and that origin is listed, is a
/// strict subdomain of a wildcard's domain with the same scheme and port, or is matched whole by a listed regular
/// expression. The configured entries are normalised by System.Uri (not by CorsKit's parser), and System.Uri is asked
/// for a second opinion on every value it can parse.
/// </summary>
public sealed class OriginOracle
{
    private readonly string[] _exact;
    private readonly (string Scheme, string Domain, int? Port)[] _wildcards;
    private readonly Regex[] _regexes;
    private readonly bool _allowNull;

    public OriginOracle(IEnumerable<string> exact, IEnumerable<string> wildcards, IEnumerable<string> regexes, bool allowNull)
    {
        _exact = [.. exact.Select(e => UriSerialization(new Uri(e)))];
        _wildcards = [.. wildcards.Select(w =>
        {
            var uri = new Uri(w.Replace("*.", string.Empty, StringComparison.Ordinal));
            return (uri.Scheme, uri.IdnHost, uri.IsDefaultPort ? (int?)null : uri.Port);
        })];

        // The backtracking engine, anchored by hand: CorsKit anchors its own way and uses the non-backtracking engine.
        _regexes = [.. regexes.Select(p => new Regex("^(?:" + p + @")\z", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(5)))];
        _allowNull = allowNull;
    }

    public bool Allows(string value)
    {
        if (value == "null")
        {
            return _allowNull;
        }

        if (!TryReadSerializedOrigin(value, out var scheme, out var host, out var port) || !UriAgrees(value))
        {
            return false;
        }

        if (_exact.Contains(value, StringComparer.Ordinal))
        {
            return true;
        }

        foreach (var (wildcardScheme, domain, wildcardPort) in _wildcards)
        {
            if (scheme == wildcardScheme && port == wildcardPort && host.Length > domain.Length + 1
                && host.EndsWith("." + domain, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return _regexes.Any(r => r.IsMatch(value));
    }

    // scheme "://" host [":" port], exactly as a browser writes it:
    // - scheme: a lower-case letter, then lower-case letters, digits, '+', '-', '.';
    // - host: "[" IPv6 "]" in its canonical text, or dot-separated non-empty labels of a-z, 0-9, '-', '_' (what DNS can
    //   carry, lower case, punycode for anything else; URL parsing accepts a few more symbols, but nobody can register them);
    // - port: digits without a leading zero, at most 65535, never the scheme's default.
    private static bool TryReadSerializedOrigin(string value, out string scheme, out string host, out int? port)
    {
        scheme = host = string.Empty;
        port = null;
        var separator = value.IndexOf("://", StringComparison.Ordinal);
        if (separator <= 0)
        {
            return false;
        }

        scheme = value[..separator];
        if (!char.IsAsciiLetterLower(scheme[0]) || !scheme.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '+' or '-' or '.'))
        {
            return false;
        }

        var authority = value[(separator + 3)..];
        string? portText = null;
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || !IPAddress.TryParse(authority[1..close], out var address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6
                || "[" + address + "]" != authority[..(close + 1)])
            {
                return false;
            }

            host = authority[..(close + 1)];
            var rest = authority[(close + 1)..];
            if (rest.Length > 0)
            {
                if (rest[0] != ':')
                {
                    return false;
                }

                portText = rest[1..];
            }
        }
        else
        {
            var colon = authority.IndexOf(':', StringComparison.Ordinal);
            host = colon < 0 ? authority : authority[..colon];
            portText = colon < 0 ? null : authority[(colon + 1)..];
            if (!host.Split('.').All(label => label.Length > 0 && label.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_')))
            {
                return false;
            }
        }

        if (portText is not null)
        {
            if (portText.Length == 0 || portText.Length > 5 || !portText.All(char.IsAsciiDigit) || (portText[0] == '0' && portText.Length > 1))
            {
                return false;
            }

            var number = int.Parse(portText, CultureInfo.InvariantCulture);
            var defaultPort = scheme switch { "http" or "ws" => 80, "https" or "wss" => 443, "ftp" => 21, _ => -1 };
            if (number > 65535 || number == defaultPort)
            {
                return false;
            }

            port = number;
        }

        return true;
    }

    // System.Uri's second opinion: when it can parse the value, its own serialization must be the value itself
    // (it knows, for instance, that "http://127.1" is written "http://127.0.0.1"). It cannot parse some hosts that
    // browsers accept (such as "-a._b.example.org"); then the explicit rules above decide alone.
    private static bool UriAgrees(string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri))
        {
            return true;
        }

        try
        {
            return uri.UserInfo.Length == 0 && uri.PathAndQuery == "/" && uri.Fragment.Length == 0
                && string.Equals(UriSerialization(uri), value, StringComparison.Ordinal);
        }
        catch (UriFormatException)
        {
            return false; // a host that IDNA refuses cannot be an origin
        }
    }

    private static string UriSerialization(Uri uri) =>
        uri.Scheme + "://" + (uri.HostNameType == UriHostNameType.IPv6 ? uri.Host : uri.IdnHost)
        + (uri.IsDefaultPort ? string.Empty : ":" + uri.Port.ToString(CultureInfo.InvariantCulture));
}

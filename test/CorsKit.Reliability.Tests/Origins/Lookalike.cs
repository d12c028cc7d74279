using System.Globalization;
using System.Text;

namespace CorsKit.Reliability.Tests.Origins;

/// <summary>The ways a lookalike differs from a genuine origin.</summary>
public enum Mutation
{
    PrefixAddition,
    SuffixAddition,
    HostPrefix,
    HostSuffix,
    Substring,
    DotChange,
    SchemeChange,
    PortChange,
    CaseChange,
    TrailingDot,
    UserInfo,
    PercentEncoding,
    Homograph,
    HomographPunycode,
    Whitespace,
    EmbeddedComma,
    JoinedValues,
    ControlByte,
    Truncation,
    HostSwap,
    AddressSpelling,
}

/// <summary>One mutation step: what, where (<see cref="Position"/>, taken modulo the length) and which variant (<see cref="Pick"/>).</summary>
public readonly record struct MutationStep(Mutation Kind, int Position, int Pick)
{
    public override string ToString() => $"{Kind}({Position},{Pick})";
}

/// <summary>A generated origin value: a genuine origin and the mutations applied to it, in order.</summary>
public sealed record Lookalike(string Seed, MutationStep[] Steps, string Other)
{
    private static readonly string[] Prefixes = ["x", "evil", "https://evil.com/", " ", "\t", "%20", "\0", "null", "www.", "http://", "//"];
    private static readonly string[] Suffixes =
    [
        ".evil.com", "evil.com", ".", "_", "-", "~", "`", "/", "/path", "?q=1", "#frag", ":", "%00", "\r\nSet-Cookie: x=1",
        "\n", " ", ".com", "\u00A0", "_.evil.com", "-.evil.com", "~.evil.com", "!", "$", "&", "'", "(", ")", "*", "+", ";", "=", "@evil.com",
    ];

    private static readonly string[] HostPrefixes = ["evil.", "evil", "evil-", "x", "www.", ".", "-", "_", "a.b.", "xn--", "*."];
    private static readonly string[] HostSuffixes = [".evil.com", "evil", "-evil.com", "_.evil.com", ".", "%2e", "x", ".example.com", ".com", "a"];
    private static readonly string[] DotReplacements = ["x", "a", "-", "_", string.Empty, "%2e", "%2E", "\\.", "\u3002", "\uFF0E", "\uFF61", ".."];
    private static readonly string[] Schemes = ["http", "https", "ws", "wss", "ftp", "HTTPS", "Https", "httpss", "http:", "file", string.Empty, "https:/", "hTTp"];
    private static readonly string[] Ports = [string.Empty, ":443", ":80", ":8443", ":5081", ":3000", ":5173", ":0", ":65535", ":65536", ":", ":08443", ":-1", ":443:443", ":80a", ":0443", ":21"];
    private static readonly string[] UserInfos = ["user@", "user:pass@", "@", ":@"];
    private static readonly string[] Spaces = [" ", "\t", "\n", "\r", "\u00A0", "\u200B", "\u3000", "\f", "\v", "\u2028", "\uFEFF"];
    private static readonly string[] Controls = ["\0", "\u0001", "\u007F", "\u001B", "\u0085", "\u00AD"];

    // Latin letters and their lookalikes in other scripts (Cyrillic, Greek, fullwidth, dotless i, long s).
    private static readonly Dictionary<char, string> Homoglyphs = new()
    {
        ['a'] = "\u0430\u03B1\uFF41", ['e'] = "\u0435\u03B5", ['o'] = "\u043E\u03BF\u0585", ['p'] = "\u0440\u03C1", ['c'] = "\u0441\u03F2",
        ['x'] = "\u0445\u03C7", ['i'] = "\u0456\u0131\u03B9", ['l'] = "\u04CF\u0049\u0031", ['m'] = "\u043C", ['s'] = "\u0455\u017F", ['d'] = "\u0501",
        ['w'] = "\u0461\u051D", ['n'] = "\u0578", ['h'] = "\u04BB", ['b'] = "\u0184", ['r'] = "\u0433", ['u'] = "\u057D", ['t'] = "\u0442",
    };

    // Other spellings of the loopback addresses the exact entries list (browsers send only the canonical one).
    private static readonly string[] AddressSpellings =
    [
        "127.1", "2130706433", "0x7f.0.0.1", "127.000.000.001", "0177.0.0.1", "[::ffff:127.0.0.1]", "[0:0:0:0:0:0:0:1]", "[::0:1]",
        "[::1%25eth0]", "[::0001]", "[::1]]", "[::1", "::1", "[::1]", "127.0.0.1", "localhost", "LOCALHOST", "localhost.", "127.0.0.1.",
    ];

    private static readonly IdnMapping Idn = new();

    public string Value => Apply();

    public override string ToString() =>
        $"\"{Escape(Value)}\" from \"{Escape(Seed)}\" by [{string.Join(", ", Steps)}] (other \"{Escape(Other)}\")";

    public static string Escape(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            builder.Append(c is >= ' ' and < '\u007F' ? c.ToString() : $"\\u{(int)c:X4}");
        }

        return builder.ToString();
    }

    private string Apply()
    {
        var value = Seed;
        foreach (var step in Steps)
        {
            value = Apply(value, step);
        }

        return value;
    }

    private string Apply(string value, MutationStep step)
    {
        var (hostStart, hostEnd) = HostRange(value);
        int At(int length) => length == 0 ? 0 : step.Position % (length + 1);
        string Pick(string[] options) => options[step.Pick % options.Length];

        switch (step.Kind)
        {
            case Mutation.PrefixAddition:
                return Pick(Prefixes) + value;
            case Mutation.SuffixAddition:
                return value + Pick(Suffixes);
            case Mutation.HostPrefix:
                return value.Insert(hostStart, Pick(HostPrefixes));
            case Mutation.HostSuffix:
                return value.Insert(hostEnd, Pick(HostSuffixes));
            case Mutation.Substring:
            {
                // Drop a run of the host ("xample.com", "app.example.co"), or keep only part of the whole value.
                var hostLength = hostEnd - hostStart;
                if (hostLength <= 1 || step.Pick % 4 == 0)
                {
                    var start = At(value.Length) % Math.Max(1, value.Length);
                    return value[start..];
                }

                var from = hostStart + (step.Position % hostLength);
                var count = 1 + (step.Pick % Math.Max(1, hostEnd - from));
                return value.Remove(from, Math.Min(count, hostEnd - from));
            }

            case Mutation.DotChange:
            {
                var dots = Enumerable.Range(hostStart, hostEnd - hostStart).Where(i => value[i] == '.').ToArray();
                if (dots.Length == 0)
                {
                    return value + Pick(DotReplacements);
                }

                var dot = dots[step.Position % dots.Length];
                return value[..dot] + Pick(DotReplacements) + value[(dot + 1)..];
            }

            case Mutation.SchemeChange:
            {
                var schemeEnd = value.IndexOf("://", StringComparison.Ordinal);
                return schemeEnd < 0 ? Pick(Schemes) + "://" + value : Pick(Schemes) + value[schemeEnd..];
            }

            case Mutation.PortChange:
            {
                var end = PortEnd(value, hostEnd);
                return value[..hostEnd] + Pick(Ports) + value[end..];
            }

            case Mutation.CaseChange:
            {
                var letters = Enumerable.Range(0, value.Length).Where(i => char.IsAsciiLetterLower(value[i])).ToArray();
                if (letters.Length == 0)
                {
                    return value.ToUpperInvariant();
                }

                var i = letters[step.Position % letters.Length];
                return step.Pick % 5 == 0 ? value.ToUpperInvariant() : value[..i] + char.ToUpperInvariant(value[i]) + value[(i + 1)..];
            }

            case Mutation.TrailingDot:
                return value.Insert(hostEnd, step.Pick % 3 == 0 ? ".." : ".");
            case Mutation.UserInfo:
                return (step.Pick % 3) switch
                {
                    0 => value.Insert(hostStart, Pick(UserInfos)),
                    1 => value.Insert(hostEnd, "@evil.com"),
                    _ => value.Insert(hostStart, "evil.com@"),
                };
            case Mutation.PercentEncoding:
            {
                if (hostEnd == hostStart)
                {
                    return value + "%2F";
                }

                var i = hostStart + (step.Position % (hostEnd - hostStart));
                var hex = ((int)value[i]).ToString(step.Pick % 2 == 0 ? "X2" : "x2", CultureInfo.InvariantCulture);
                return value[..i] + "%" + hex + value[(i + 1)..];
            }

            case Mutation.Homograph:
            case Mutation.HomographPunycode:
            {
                var candidates = Enumerable.Range(hostStart, hostEnd - hostStart).Where(i => Homoglyphs.ContainsKey(value[i])).ToArray();
                if (candidates.Length == 0)
                {
                    return value;
                }

                var i = candidates[step.Position % candidates.Length];
                var glyphs = Homoglyphs[value[i]];
                var changed = value[..i] + glyphs[step.Pick % glyphs.Length] + value[(i + 1)..];
                if (step.Kind == Mutation.Homograph)
                {
                    return changed;
                }

                // The punycode a browser would send for that homograph host.
                var (start, end) = HostRange(changed);
                try
                {
                    return changed[..start] + Idn.GetAscii(changed[start..end]).ToLowerInvariant() + changed[end..];
                }
                catch (ArgumentException)
                {
                    return changed;
                }
            }

            case Mutation.Whitespace:
                return value.Insert(At(value.Length), Pick(Spaces));
            case Mutation.EmbeddedComma:
                return (step.Pick % 4) switch
                {
                    0 => value + "," + Other,
                    1 => Other + "," + value,
                    2 => value.Insert(hostEnd, ","),
                    _ => value + ",",
                };
            case Mutation.JoinedValues:
                // Several Origin header lines, as a server sees them combined (RFC 9110 5.3).
                return (step.Pick % 3) switch
                {
                    0 => value + ", " + value,
                    1 => value + ", " + Other,
                    _ => Other + ", " + value,
                };
            case Mutation.ControlByte:
                return value.Insert(At(value.Length), Pick(Controls));
            case Mutation.Truncation:
                return value.Length == 0 ? value : value[..(step.Position % value.Length)];
            case Mutation.HostSwap:
            {
                // The scheme and port of one origin around the host of another.
                var (otherStart, otherEnd) = HostRange(Other);
                return value[..hostStart] + Other[otherStart..otherEnd] + value[hostEnd..];
            }

            case Mutation.AddressSpelling:
                return value[..hostStart] + Pick(AddressSpellings) + value[hostEnd..];
            default:
                throw new InvalidOperationException(step.Kind.ToString());
        }
    }

    private static (int Start, int End) HostRange(string value)
    {
        var schemeEnd = value.IndexOf("://", StringComparison.Ordinal);
        var start = schemeEnd < 0 ? 0 : schemeEnd + 3;
        if (start < value.Length && value[start] == '[')
        {
            var close = value.IndexOf(']', start);
            return (start, close < 0 ? value.Length : close + 1);
        }

        var end = value.IndexOfAny([':', '/', '?', '#', ','], start);
        return (start, end < 0 ? value.Length : end);
    }

    private static int PortEnd(string value, int hostEnd)
    {
        if (hostEnd >= value.Length || value[hostEnd] != ':')
        {
            return hostEnd;
        }

        var end = value.IndexOfAny(['/', '?', '#', ',', ' '], hostEnd);
        return end < 0 ? value.Length : end;
    }
}

namespace CorsKit.Origins;

/// <summary>
/// Finds the dots of a .NET regular expression that stand for one arbitrary character: unescaped, outside a character
/// class and a comment, and not followed by a quantifier. In an origin pattern such a dot is a host's dot left unescaped
/// (<c>https://app.example.com</c>), which also matches <c>https://appxexample.com</c>, a name anyone can register.
/// A quantified dot (<c>.*</c>, <c>.+</c>) is left to the probes of <see cref="OriginRegexProbes"/>.
/// </summary>
internal static class RegexDots
{
    /// <summary>The positions in <paramref name="pattern"/> of each dot that matches exactly one arbitrary character.</summary>
    /// <param name="pattern">A pattern that compiles.</param>
    public static IReadOnlyList<int> FindLoneDots(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var dots = new List<int>();
        var freeSpacing = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            switch (pattern[i])
            {
                case '\\':
                    i++;   // the escaped character is a literal (or a class such as \d): never a dot
                    break;
                case '[':
                    i = EndOfClass(pattern, i);
                    break;
                case '(' when At(pattern, i, "(?#"):
                    i = EndOf(pattern, ')', i);
                    break;
                case '(' when At(pattern, i, "(?"):
                    freeSpacing = FreeSpacingAfterOptions(pattern, i + 2, freeSpacing);
                    break;
                case '#' when freeSpacing:
                    i = EndOf(pattern, '\n', i);
                    break;
                case '.' when !IsQuantifier(pattern, NextSignificant(pattern, i + 1, freeSpacing)):
                    dots.Add(i);
                    break;
            }
        }

        return dots;
    }

    /// <summary>The host characters around the dot at <paramref name="dot"/>, such as <c>app.example</c>.</summary>
    public static string Context(string pattern, int dot)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var start = dot;
        while (start > 0 && IsHostChar(pattern[start - 1]))
        {
            start--;
        }

        var end = dot + 1;
        while (end < pattern.Length && IsHostChar(pattern[end]))
        {
            end++;
        }

        return pattern[start..end];
    }

    /// <summary><paramref name="pattern"/> with a backslash before each of <paramref name="dots"/>.</summary>
    public static string Escape(string pattern, IReadOnlyList<int> dots)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(dots);
        var text = new System.Text.StringBuilder(pattern.Length + dots.Count);
        var last = 0;
        foreach (var dot in dots)
        {
            text.Append(pattern, last, dot - last).Append('\\');
            last = dot;
        }

        return text.Append(pattern, last, pattern.Length - last).ToString();
    }

    private static bool IsHostChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '-';

    private static bool At(string pattern, int i, string text) => pattern.AsSpan(i).StartsWith(text, StringComparison.Ordinal);

    private static int EndOf(string pattern, char end, int from)
    {
        var at = pattern.IndexOf(end, from);
        return at < 0 ? pattern.Length : at;
    }

    /// <summary>The index of the "]" that closes the class opened at <paramref name="open"/> ("]" right after "[" or "[^" is a literal, "\]" is escaped, "-[...]" is a .NET class subtraction); the pattern's length if none does.</summary>
    internal static int EndOfClass(string pattern, int open)
    {
        var i = open + 1;
        if (i < pattern.Length && pattern[i] == '^')
        {
            i++;
        }

        if (i < pattern.Length && pattern[i] == ']')
        {
            i++;
        }

        for (; i < pattern.Length; i++)
        {
            switch (pattern[i])
            {
                case '\\':
                    i++;
                    break;
                case '[' when pattern[i - 1] == '-':
                    i = EndOfClass(pattern, i);
                    break;
                case ']':
                    return i;
            }
        }

        return pattern.Length;
    }

    // "(?imnsx-imnsx)" or "(?imnsx-imnsx:": whether 'x' (free-spacing) is on afterwards. A scoped group is treated as if it
    // ran to the end of the pattern, which can only find more dots, never fewer.
    private static bool FreeSpacingAfterOptions(string pattern, int start, bool current)
    {
        var on = true;
        var result = current;
        for (var i = start; i < pattern.Length; i++)
        {
            switch (pattern[i])
            {
                case '-':
                    on = false;
                    break;
                case 'x':
                    result = on;
                    break;
                case 'i' or 'm' or 'n' or 's':
                    break;
                case ')' or ':':
                    return result;
                default:
                    return current;   // not an options group: "(?:", "(?=", "(?<name>" ...
            }
        }

        return current;
    }

    private static int NextSignificant(string pattern, int from, bool freeSpacing)
    {
        var i = from;
        while (freeSpacing && i < pattern.Length && char.IsWhiteSpace(pattern[i]))
        {
            i++;
        }

        return i;
    }

    private static bool IsQuantifier(string pattern, int i) => i < pattern.Length && pattern[i] is '*' or '+' or '?' or '{';
}

using System.Text;

namespace CorsKit.Origins;

/// <summary>
/// Writes one string that an origin pattern is meant to match, by following its first alternative: literals as written,
/// <c>\d</c> as <c>0</c>, a class as its first character, a group's first branch, each quantified atom once (or, when
/// <c>minimal</c>, not at all where the quantifier allows zero). The result is only a guess: the caller keeps it only if
/// the compiled pattern matches it. A pattern in free-spacing mode, or with a backreference, gets no sample.
/// </summary>
internal static class RegexSample
{
    /// <summary>The sample, or <see langword="null"/> when the pattern is beyond this reader.</summary>
    /// <param name="pattern">A pattern that compiles.</param>
    /// <param name="minimal">Leave out the atoms quantified by <c>*</c>, <c>?</c> or <c>{0,...}</c>.</param>
    public static string? Of(string pattern, bool minimal) => Read(pattern, minimal)?.Text;

    /// <summary>The sample with the part of the pattern behind each character, or <see langword="null"/> when the pattern is beyond this reader.</summary>
    /// <param name="pattern">A pattern that compiles.</param>
    /// <param name="minimal">Leave out the atoms quantified by <c>*</c>, <c>?</c> or <c>{0,...}</c>.</param>
    public static RegexSampleText? Read(string pattern, bool minimal)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        if (pattern.Contains("(?x", StringComparison.Ordinal) || pattern.Contains("(?ix", StringComparison.Ordinal) || pattern.Contains("\\k", StringComparison.Ordinal))
        {
            return null;
        }

        var text = new StringBuilder();
        var classes = new List<Range?>();
        var groupStarts = new Stack<int>();
        var atomStart = 0;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '\\':
                    if (i + 1 >= pattern.Length || Escape(pattern[i + 1]) is not { } escaped)
                    {
                        return null;
                    }

                    atomStart = text.Length;
                    var escapeStart = i;
                    i++;
                    if (pattern[i] is 'p' or 'P')
                    {
                        i = pattern.IndexOf('}', i);   // \p{L}: one letter stands for the whole category
                        if (i < 0)
                        {
                            return null;
                        }
                    }

                    if (escaped != '\0')
                    {
                        text.Append(escaped);
                        classes.Add(pattern[escapeStart + 1] is 'd' or 'w' or 'p' or 'P' or 'D' or 'W' or 'S' ? escapeStart..(i + 1) : null);
                    }

                    break;
                case '[':
                    atomStart = text.Length;
                    var end = RegexDots.EndOfClass(pattern, i);
                    text.Append(pattern[i + 1] == '^' ? NegatedClassSample(pattern[i..Math.Min(end + 1, pattern.Length)]) : pattern[i + 1] == '\\' ? Escape(pattern[i + 2]) ?? 'a' : pattern[i + 1]);
                    classes.Add(i..Math.Min(end + 1, pattern.Length));
                    i = end;
                    break;
                case '(' when pattern.AsSpan(i).StartsWith("(?=") || pattern.AsSpan(i).StartsWith("(?!") || pattern.AsSpan(i).StartsWith("(?<=") || pattern.AsSpan(i).StartsWith("(?<!") || pattern.AsSpan(i).StartsWith("(?#"):
                    i = GroupEnd(pattern, i);   // zero-width or a comment: no characters
                    break;
                case '(':
                    if (OptionsGroupEnd(pattern, i) is { } optionsEnd)
                    {
                        i = optionsEnd;   // "(?i)": no characters
                        break;
                    }

                    groupStarts.Push(text.Length);
                    var body = GroupBodyStart(pattern, i);
                    if (body < 0)
                    {
                        return null;
                    }

                    i = body - 1;
                    break;
                case ')':
                    if (groupStarts.Count == 0)
                    {
                        return null;
                    }

                    atomStart = groupStarts.Pop();
                    break;
                case '|':
                    if (groupStarts.Count == 0)
                    {
                        return new RegexSampleText(text.ToString(), classes);   // the first top-level alternative
                    }

                    i = GroupEnd(pattern, i) - 1;   // the rest of this group's branches; its ')' comes next
                    break;
                case '*' or '?' or '+' or '{':
                    var zero = c is '*' or '?' || (c == '{' && pattern.AsSpan(i + 1).StartsWith("0"));
                    var quantifierStart = i;
                    var least = 1;
                    if (c == '{')
                    {
                        var close = pattern.IndexOf('}', i);
                        var digits = close < 0 ? string.Empty : pattern[(i + 1)..close].Split(',')[0];
                        least = int.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? Math.Clamp(n, 1, 64) : 1;
                        i = close;
                    }

                    if (minimal && zero)
                    {
                        text.Length = atomStart;
                        classes.RemoveRange(atomStart, classes.Count - atomStart);
                    }
                    else if (least > 1 && atomStart < text.Length)
                    {
                        // "\w{2,}": the atom as often as the quantifier asks, or the pattern would not match its own sample.
                        var atom = text.ToString(atomStart, text.Length - atomStart);
                        var atomClasses = classes.GetRange(atomStart, classes.Count - atomStart);
                        for (var k = 1; k < least; k++)
                        {
                            text.Append(atom);
                            classes.AddRange(atomClasses);
                        }
                    }

                    if (i + 1 < pattern.Length && pattern[i + 1] == '?')
                    {
                        i++;   // lazy
                    }

                    // A class right before the quantifier is named with it ("[a-z.]+"), so a fix replaces both.
                    for (var k = atomStart; k < classes.Count; k++)
                    {
                        if (classes[k] is { } source && source.End.Value == quantifierStart)
                        {
                            classes[k] = source.Start..(i + 1);
                        }
                    }

                    break;
                case '^' or '$':
                    break;
                case '.':
                    atomStart = text.Length;
                    text.Append(i + 1 < pattern.Length && pattern[i + 1] is '*' or '+' or '?' or '{' ? 'a' : '.');
                    classes.Add(i..(i + 1));
                    break;
                default:
                    atomStart = text.Length;
                    text.Append(c);
                    classes.Add(null);
                    break;
            }

            if (i < 0)
            {
                return null;
            }
        }

        return groupStarts.Count == 0 ? new RegexSampleText(text.ToString(), classes) : null;
    }

    // A character "[^...]" matches, asked of the class itself: a letter when it takes one (so the sample stays a host),
    // otherwise a dot or a hyphen, so that "[^a-z]" between two labels reads as the dot it lets through.
    private static char NegatedClassSample(string negatedClass)
    {
        try
        {
            var regex = new System.Text.RegularExpressions.Regex(negatedClass, System.Text.RegularExpressions.RegexOptions.CultureInvariant);
            foreach (var candidate in (ReadOnlySpan<char>)['a', '.', '-', '0'])
            {
                if (regex.IsMatch(candidate.ToString()))
                {
                    return candidate;
                }
            }
        }
        catch (ArgumentException)
        {
        }

        return 'a';
    }

    // What an escape stands for: '\0' for an anchor (no character), null for what this reader does not follow.
    private static char? Escape(char c) => c switch
    {
        'd' => '0',
        'w' or 'p' or 'P' => 'a',
        'D' or 'W' or 'S' => '-',
        'A' or 'z' or 'Z' or 'b' or 'B' or 'G' => '\0',
        't' or 'n' or 'r' or 'f' or 'v' or 'e' or 's' => null,
        _ when char.IsAsciiDigit(c) || char.IsAsciiLetter(c) => null,
        _ => c,
    };

    // The index of the ')' that closes the group open at (or containing) `from`, skipping escapes, classes and inner groups.
    private static int GroupEnd(string pattern, int from)
    {
        var depth = pattern[from] == '(' ? 0 : 1;
        for (var i = from; i < pattern.Length; i++)
        {
            switch (pattern[i])
            {
                case '\\':
                    i++;
                    break;
                case '[':
                    i = RegexDots.EndOfClass(pattern, i);
                    break;
                case '(':
                    depth++;
                    break;
                case ')':
                    if (--depth == 0)
                    {
                        return i;
                    }

                    break;
            }
        }

        return -1;
    }

    // "(?imnsx-imnsx)": the index of its ')', or null when the group is another kind.
    private static int? OptionsGroupEnd(string pattern, int open)
    {
        if (!pattern.AsSpan(open).StartsWith("(?"))
        {
            return null;
        }

        for (var i = open + 2; i < pattern.Length; i++)
        {
            switch (pattern[i])
            {
                case 'i' or 'm' or 'n' or 's' or 'x' or '-':
                    continue;
                case ')':
                    return i;
                default:
                    return null;
            }
        }

        return null;
    }

    // Where a group's branches begin: after "(", "(?:", "(?>", "(?<name>", "(?'name'" or "(?imnsx-imnsx:"; -1 for another
    // kind of group (a conditional).
    private static int GroupBodyStart(string pattern, int open)
    {
        if (!pattern.AsSpan(open).StartsWith("(?"))
        {
            return open + 1;
        }

        var i = open + 2;
        if (i < pattern.Length && pattern[i] is ':' or '>')
        {
            return i + 1;
        }

        if (i < pattern.Length && pattern[i] is '<' or '\'')
        {
            var close = pattern.IndexOfAny(['>', '\''], i + 1);
            return close < 0 ? -1 : close + 1;
        }

        while (i < pattern.Length && pattern[i] is 'i' or 'm' or 'n' or 's' or 'x' or '-')
        {
            i++;
        }

        return i < pattern.Length && pattern[i] == ':' ? i + 1 : -1;
    }
}

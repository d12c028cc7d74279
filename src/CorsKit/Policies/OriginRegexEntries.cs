using System.Text.RegularExpressions;
using CorsKit.Origins;

namespace CorsKit.Policies;

/// <summary>
/// The origin regular expressions of a policy (<see cref="CorsPolicyBuilder.WithOriginRegex"/>): checked, each refusal
/// naming its pattern and the fix, then compiled into the expressions <see cref="OriginMatcher"/> tries in turn.
/// </summary>
internal static class OriginRegexEntries
{
    /// <summary>
    /// Judges each pattern alone, so that each refusal names its entry: it must compile, run on the linear-time engine
    /// (unless <paramref name="allowBacktracking"/>), and neither match any host, every site under a public suffix or a
    /// lookalike of the origin it was written for, nor leave a host dot unescaped. The linear-time engine is costly to
    /// build, so it is built for as few alternations as it takes; each pattern alone runs on the interpreter, which is
    /// cheap to build, for the probes.
    /// </summary>
    /// <param name="patterns">The patterns as written.</param>
    /// <param name="credentials">Whether the policy allows credentials (a catch-all pattern is then an exposure, not only a disguised '*').</param>
    /// <param name="allowBacktracking">Whether patterns that need the backtracking engine are accepted.</param>
    /// <param name="problems">Where each refusal is added, in the order of the patterns.</param>
    /// <returns>The expressions to try in turn, or <see langword="null"/> without patterns or with problems.</returns>
    public static Regex[]? Build(IReadOnlyList<string> patterns, bool credentials, bool allowBacktracking, List<string> problems)
    {
        if (patterns.Count == 0)
        {
            return null;
        }

        var patternProblems = patterns.Select(_ => new List<string>()).ToArray();
        var alone = new Regex?[patterns.Count];
        for (var i = 0; i < patterns.Count; i++)
        {
            // The pattern as written must parse on its own: then anchoring it cannot change its structure.
            try
            {
                _ = new Regex(patterns[i], RegexOptions.CultureInvariant);
            }
            catch (ArgumentException ex)
            {
                patternProblems[i].Add($"origin regex \"{patterns[i]}\" is invalid ({ex.Message}); write a .NET regular expression such as \"https://app-[0-9]+\\.example\\.com\"");
                continue;
            }

            // Probes run once, at Build, on short origins of CorsKit's own making: they get the generous timeout, so that a
            // busy machine cannot time a probe out and let a lookalike-matching pattern through (a probe that times out
            // proves nothing). Requests never run on these instances.
            alone[i] = new Regex(Anchor([patterns[i]]), RegexOptions.CultureInvariant, CorsPolicyBuilder.RegexMatchTimeout);
        }

        var valid = Enumerable.Range(0, patterns.Count).Where(i => alone[i] is not null).ToList();
        var linear = new List<Regex>();
        var backtracking = new List<int>();
        Combine(patterns, valid, linear, backtracking);
        foreach (var i in backtracking.Where(_ => !allowBacktracking))
        {
            patternProblems[i].Add($"origin regex \"{patterns[i]}\" needs .NET's backtracking engine (it has a lookaround, backreference, atomic group or conditional, or is too large for the linear-time engine), "
                + "where each distinct hostile origin can cost up to the match timeout in CPU; rewrite it without those constructs (alternatives with '|', or WithOriginPredicate(...)), "
                + $"or call AllowBacktrackingOriginRegex() to accept it with a {CorsPolicyBuilder.BacktrackingRegexMatchTimeout.TotalMilliseconds:0} ms match timeout");
        }

        var anyHost = new HashSet<int>();
        var judged = new HashSet<int>();   // refused already for what it matches
        foreach (var i in valid)
        {
            var pattern = patterns[i];
            if (OriginRegexProbes.MatchesAnyHost(alone[i]!) is { } probe)
            {
                anyHost.Add(i);
                patternProblems[i].Add(credentials
                    ? $"origin regex \"{pattern}\" matches any host (it matches \"{probe}\"), so with credentials every site could read credentialed responses; write the trusted hosts out, dots escaped, such as \"https://app\\.example\\.com\""
                    : $"origin regex \"{pattern}\" matches any host (it matches \"{probe}\"): a '*' in disguise that still echoes each origin back; use AllowAnyOrigin() for a public API, or write the trusted hosts out, dots escaped, such as \"https://app\\.example\\.com\"");
            }
            else if (RegexDots.FindLoneDots(pattern) is { Count: > 0 } dots)
            {
                judged.Add(i);
                var context = RegexDots.Context(pattern, dots[0]);
                var lookalike = RegexDots.Context(pattern[..dots[0]] + "x" + pattern[(dots[0] + 1)..], dots[0]);
                patternProblems[i].Add($"origin regex \"{pattern}\" has an unescaped '.' in \"{context}\", which matches any character, so \"{lookalike}\" matches too; write \"\\.\" for a literal dot: \"{RegexDots.Escape(pattern, dots)}\"");
            }
        }

        // The sweep runs the linear-time alternations on every probe, and each pattern alone only on their matches; a
        // pattern that matches any host is already refused, and would only slow it down. Backtracking patterns are not
        // swept: each probe could cost up to their timeout.
        var swept = valid.Where(i => !anyHost.Contains(i) && !backtracking.Contains(i)).ToList();
        var sweepRegexes = linear;
        if (anyHost.Count > 0)
        {
            sweepRegexes = [];
            Combine(patterns, swept, sweepRegexes, []);
        }

        foreach (var (index, (suffix, probe)) in OriginRegexProbes.MatchesPublicSuffix(sweepRegexes, [.. swept.Select(i => alone[i]!)]))
        {
            var i = swept[index];
            judged.Add(i);
            patternProblems[i].Add($"origin regex \"{patterns[i]}\" matches every site under the public suffix \"{suffix}\" (it matches \"{probe}\"), where anyone can register a name; "
                + $"anchor it to a domain you control, such as \"https://[a-z0-9-]+\\.example\\.{suffix.Replace(".", "\\.", StringComparison.Ordinal)}\"");
        }

        // Lookalikes of the origin each pattern was written for: its host continued, its domain with letters in front, a
        // class or escape that takes a hyphen or a letter where its host has a dot, or its top-level domain replaced.
        foreach (var i in valid.Where(i => !anyHost.Contains(i) && !judged.Contains(i)))
        {
            if (OriginRegexProbes.MatchesLookalike(alone[i]!, patterns[i]) is { } lookalike)
            {
                var pattern = patterns[i];
                patternProblems[i].Add(lookalike.Registrable is null
                    ? $"origin regex \"{pattern}\" also matches \"{lookalike.Probe}\", a host under a domain anyone can register; end the pattern at the host, with nothing like \".*\" after it"
                    : $"origin regex \"{pattern}\" also matches \"{lookalike.Probe}\": any name that ends in \"{lookalike.Registrable}\" matches, so anyone can register one; put \"\\.\" before the domain, as in \"{lookalike.Scheme}://([a-z0-9-]+\\.)*{lookalike.Registrable.Replace(".", "\\.", StringComparison.Ordinal)}\"");
            }
            else if (OriginRegexProbes.MatchesDotStandIn(alone[i]!, patterns[i]) is { } standIn)
            {
                patternProblems[i].Add($"origin regex \"{patterns[i]}\" also matches \"{standIn.Probe}\": \"{standIn.Construct}\" stands for the dot of \"{standIn.Host}\" but takes other characters too, so another site matches; write \"\\.\" for a literal dot: \"{standIn.Fix}\"");
            }
            else if (OriginRegexProbes.MatchesAnyTopLevelDomain(alone[i]!, patterns[i]) is { } probe)
            {
                patternProblems[i].Add($"origin regex \"{patterns[i]}\" matches any top-level domain (it matches \"{probe}\"), so the same name under another one, which anyone can register, matches too; name the domain, dots escaped, such as \"https://app\\.example\\.com\"");
            }
        }

        problems.AddRange(patternProblems.SelectMany(p => p));
        if (problems.Count > 0)
        {
            return null;
        }

        if (backtracking.Count > 0)
        {
            linear.Add(new Regex(Anchor(backtracking.Select(i => patterns[i])), RegexOptions.CultureInvariant | RegexOptions.Compiled, CorsPolicyBuilder.BacktrackingRegexMatchTimeout));
        }

        // One match now builds each engine's first states at startup, so the first request does not pay for them. A
        // warm-up that times out (the first match of a compiled regex includes compiling it, on a loaded machine more
        // than the backtracking engine's 50 ms) only means the first request pays instead.
        foreach (var regex in linear)
        {
            try
            {
                _ = regex.IsMatch("https://corskit-warm-up.invalid");
            }
            catch (RegexMatchTimeoutException)
            {
            }
        }

        return [.. linear];
    }

    // One anchored alternation: each entry must match the whole origin, never a prefix of it. Each entry ends with
    // "(?x)\n" (inert: free-spacing ignores the new line, and the option ends with the group) so that an entry ending
    // in a free-spacing '#' comment cannot comment out the closing parentheses and the anchor.
    private static string Anchor(IEnumerable<string> patterns) =>
        @"\A(?:" + string.Join("|", patterns.Select(p => "(?:" + p + "(?x)\n)")) + @")\z";

    // Linear-time alternations of the patterns at `indices`: one if the engine takes them all, otherwise halves, down to
    // single patterns; a single pattern the engine refuses (a lookaround or backreference, or too large) goes to
    // `backtracking`. The engine refuses at construction, so the common case (all linear) builds one alternation.
    private static void Combine(IReadOnlyList<string> patterns, List<int> indices, List<Regex> linear, List<int> backtracking)
    {
        if (indices.Count == 0)
        {
            return;
        }

        try
        {
            linear.Add(new Regex(Anchor(indices.Select(i => patterns[i])), RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, CorsPolicyBuilder.RegexMatchTimeout));
        }
        catch (NotSupportedException)
        {
            if (indices.Count == 1)
            {
                backtracking.Add(indices[0]);
                return;
            }

            var half = indices.Count / 2;
            Combine(patterns, indices[..half], linear, backtracking);
            Combine(patterns, indices[half..], linear, backtracking);
        }
    }
}

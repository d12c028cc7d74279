using System.Globalization;

namespace CorsKit.Origins;

/// <summary>
/// The Public Suffix List (publicsuffix.org): the suffixes under which anyone can register a domain, such as <c>com</c>,
/// <c>co.uk</c> or <c>github.io</c>. The list embedded in this assembly is parsed once, on first use. Both of its sections
/// count (ICANN and PRIVATE): a wildcard on <c>github.io</c> trusts every GitHub Pages site just as <c>co.uk</c> trusts
/// every British company.
/// </summary>
internal sealed class PublicSuffixList
{
    private const string ResourceName = "CorsKit.Origins.PublicSuffixList.public_suffix_list.dat";

    private static readonly Lazy<PublicSuffixList> Embedded = new(LoadEmbedded, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly HashSet<string> _rules = new(StringComparer.Ordinal);
    private readonly HashSet<string> _wildcardRules = new(StringComparer.Ordinal);   // "ck" for the rule "*.ck"
    private readonly HashSet<string> _exceptionRules = new(StringComparer.Ordinal);  // "www.ck" for the rule "!www.ck"

    private PublicSuffixList(TextReader list)
    {
        var idn = new IdnMapping();
        while (list.ReadLine() is { } line)
        {
            // One rule per line, up to the first white space; "//" starts a comment line.
            var rule = line.AsSpan().Trim();
            var space = rule.IndexOfAny(' ', '\t');
            rule = space < 0 ? rule : rule[..space];
            if (rule.IsEmpty || rule.StartsWith("//"))
            {
                continue;
            }

            var set = rule[0] switch
            {
                '!' => _exceptionRules,
                '*' when rule.StartsWith("*.") => _wildcardRules,
                _ => _rules,
            };
            var text = set == _rules ? rule : rule[(set == _exceptionRules ? 1 : 2)..];

            // Rules are written in Unicode; origins carry hosts in punycode (A-labels). Most rules are ASCII already.
            string ascii;
            try
            {
                ascii = System.Text.Ascii.IsValid(text) ? text.ToString().ToLowerInvariant() : idn.GetAscii(text.ToString()).ToLowerInvariant();
            }
            catch (ArgumentException)
            {
                continue;
            }

            // An exception rule names at least two labels; one without a dot would be no rule at all.
            if (set != _exceptionRules || ascii.Contains('.', StringComparison.Ordinal))
            {
                set.Add(ascii);
            }
        }

        RuleCount = _rules.Count + _wildcardRules.Count + _exceptionRules.Count;
    }

    /// <summary>The list embedded in CorsKit, parsed on first use.</summary>
    public static PublicSuffixList Instance => Embedded.Value;

    /// <summary>How many rules were read (normal, wildcard and exception).</summary>
    public int RuleCount { get; }

    /// <summary>Reads a list in the PSL file format (for tests; CorsKit uses <see cref="Instance"/>).</summary>
    /// <param name="list">The list's text.</param>
    public static PublicSuffixList Parse(TextReader list)
    {
        ArgumentNullException.ThrowIfNull(list);
        return new PublicSuffixList(list);
    }

    /// <summary>
    /// The public suffix of <paramref name="host"/> by the PSL algorithm: the exception rule that matches wins (its
    /// suffix is the rule less its first label), otherwise the matching rule with the most labels, otherwise the
    /// implicit rule <c>*</c> (the last label).
    /// </summary>
    /// <param name="host">A lower-case ASCII host without a trailing dot, such as <c>www.example.co.uk</c>.</param>
    public string GetPublicSuffix(string host)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);

        // Each candidate suffix, longest first: "a.b.c", "b.c", "c".
        for (var start = 0; start >= 0; start = NextLabel(host, start))
        {
            var suffix = host[start..];
            if (_exceptionRules.Contains(suffix))
            {
                // An exception rule has at least two labels ("!www.ck"): the suffix is the rule less its first label.
                return suffix[NextLabel(suffix, 0)..];
            }
        }

        for (var start = 0; start >= 0; start = NextLabel(host, start))
        {
            var suffix = host[start..];
            var parent = NextLabel(suffix, 0);
            if (_rules.Contains(suffix) || (parent >= 0 && _wildcardRules.Contains(suffix[parent..])))
            {
                return suffix;
            }
        }

        var last = host.LastIndexOf('.');
        return last < 0 ? host : host[(last + 1)..];
    }

    /// <summary>Whether <paramref name="host"/> is itself a public suffix, so that anyone can register a name under it.</summary>
    /// <param name="host">A lower-case ASCII host without a trailing dot, such as <c>co.uk</c>.</param>
    public bool IsPublicSuffix(string host) => string.Equals(GetPublicSuffix(host), host, StringComparison.Ordinal);

    /// <summary>
    /// Every suffix the rules name, with one label put in front of each wildcard rule's base: the hosts to probe an origin
    /// regular expression with (<c>co.uk</c>, <c>github.io</c>, <c>corskitprobe.ck</c> for <c>*.ck</c>).
    /// Shortest first, so the broadest suffix a pattern covers is the one reported.
    /// </summary>
    /// <param name="label">The label standing for the wildcard.</param>
    public IReadOnlyList<string> Suffixes(string label) =>
        _rules.Concat(_wildcardRules.Select(w => label + "." + w))
            .OrderBy(s => s.Count(c => c == '.'))
            .ThenBy(s => s, StringComparer.Ordinal)
            .ToArray();

    private static int NextLabel(string host, int start)
    {
        var dot = host.IndexOf('.', start);
        return dot < 0 ? -1 : dot + 1;
    }

    private static PublicSuffixList LoadEmbedded()
    {
        using var stream = typeof(PublicSuffixList).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"the resource {ResourceName} is missing from CorsKit; it must be embedded (see src/CorsKit/CorsKit.csproj)");
        using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);
        return new PublicSuffixList(reader);
    }
}

using System.Collections.Frozen;
using System.Text.RegularExpressions;

namespace CorsKit.Origins;

/// <summary>
/// The compiled origin entries of one policy. Checked in order of cost: exact set (a hash lookup,
/// independent of how many origins are listed), <c>null</c>, wildcard subdomains, regular expressions, predicate.
/// </summary>
internal sealed class OriginMatcher
{
    /// <summary>Longest <c>Origin</c> value considered; a longer one is malformed (real origins are far shorter).</summary>
    public const int MaxOriginLength = 2048;

    private readonly FrozenSet<string> _exact;
    private readonly WildcardOrigin[] _wildcards;
    private readonly Regex? _regex;
    private readonly Func<string, bool>? _predicate;

    public OriginMatcher(IEnumerable<string> exact, bool allowNull, IReadOnlyList<WildcardOrigin> wildcards, Regex? regex, Func<string, bool>? predicate)
    {
        _exact = exact.ToFrozenSet(StringComparer.Ordinal);
        AllowsNull = allowNull;
        _wildcards = [.. wildcards];
        _regex = regex;
        _predicate = predicate;
    }

    /// <summary>Whether the opaque origin <c>null</c> was listed explicitly.</summary>
    public bool AllowsNull { get; }

    /// <summary>The listed exact origins, normalised.</summary>
    public IReadOnlyCollection<string> ExactOrigins => _exact;

    /// <summary>The wildcard entries, normalised.</summary>
    public IEnumerable<string> WildcardPatterns => _wildcards.Select(w => w.Pattern);

    /// <summary>Whether any entry can match something outside the exact list.</summary>
    public bool HasPatterns => _wildcards.Length > 0 || _regex is not null || _predicate is not null;

    /// <summary>Whether the request's origin is allowed. The predicate's exceptions propagate (the evaluator fails closed).</summary>
    /// <param name="origin">The request's <c>Origin</c> value, as sent.</param>
    public bool Matches(string origin)
    {
        if (_exact.Contains(origin))
        {
            return true;
        }

        if (origin == Origin.Null)
        {
            return AllowsNull;
        }

        if (!HasPatterns || !Origin.IsSerializedTupleOrigin(origin))
        {
            return false;
        }

        foreach (var wildcard in _wildcards)
        {
            if (wildcard.Matches(origin))
            {
                return true;
            }
        }

        return (_regex is not null && _regex.IsMatch(origin)) || (_predicate is not null && _predicate(origin));
    }
}

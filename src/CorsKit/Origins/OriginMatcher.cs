using System.Collections.Frozen;
using System.Text.RegularExpressions;
using CorsKit.Isolation;
using CorsKit.Sources;

namespace CorsKit.Origins;

/// <summary>
/// The compiled origin entries of one policy. Checked in order of cost: exact set (a hash lookup,
/// independent of how many origins are listed), <c>null</c>, the origin source's local copy (two hash lookups: tenant,
/// origin), wildcard subdomains, regular expressions, predicate.
/// </summary>
internal sealed class OriginMatcher
{
    /// <summary>Longest <c>Origin</c> value considered; a longer one is malformed (real origins are far shorter).</summary>
    public const int MaxOriginLength = 2048;

    private readonly FrozenSet<string> _exact;
    private readonly WildcardOrigin[] _wildcards;
    private readonly Regex[] _regexes;
    private readonly OriginVerdictCache? _regexVerdicts;
    private readonly Func<string, bool>? _predicate;
    private readonly OriginSource? _source;
    private readonly bool _tenanted;

    /// <param name="exact">The normalised exact origins.</param>
    /// <param name="allowNull">Whether <c>null</c> is listed.</param>
    /// <param name="wildcards">The wildcard entries.</param>
    /// <param name="regexes">
    /// The anchored origin expressions, tried in turn: usually one alternation on the linear-time engine; more when the
    /// alternation is too large for that engine, plus one on the backtracking engine for the patterns explicitly allowed there.
    /// </param>
    /// <param name="predicate">The predicate, asked last.</param>
    /// <param name="source">The origin source whose local copy is asked after the exact set.</param>
    /// <param name="tenanted">
    /// Whether the request's tenant chooses the source's origins: a request without a tenant is then checked against none
    /// of them (not against the untenanted set, <c>""</c>, which belongs to policies without tenants).
    /// </param>
    public OriginMatcher(IEnumerable<string> exact, bool allowNull, IReadOnlyList<WildcardOrigin> wildcards, IReadOnlyList<Regex>? regexes, Func<string, bool>? predicate, OriginSource? source = null, bool tenanted = false)
    {
        _source = source;
        _tenanted = tenanted;
        _exact = exact.ToFrozenSet(StringComparer.Ordinal);
        AllowsNull = allowNull;
        _wildcards = [.. wildcards];
        _regexes = regexes is null ? [] : [.. regexes];
        _regexVerdicts = _regexes.Length == 0 ? null : new OriginVerdictCache();
        UsesBacktrackingRegex = _regexes.Any(r => (r.Options & RegexOptions.NonBacktracking) == 0);
        _predicate = predicate;
    }

    /// <summary>Whether the opaque origin <c>null</c> was listed explicitly.</summary>
    public bool AllowsNull { get; }

    /// <summary>The listed exact origins, normalised.</summary>
    public IReadOnlyCollection<string> ExactOrigins => _exact;

    /// <summary>The wildcard entries, normalised.</summary>
    public IEnumerable<string> WildcardPatterns => _wildcards.Select(w => w.Pattern);

    /// <summary>The memo of regex verdicts, or <see langword="null"/> without regular expressions (for tests).</summary>
    internal OriginVerdictCache? RegexVerdicts => _regexVerdicts;

    /// <summary>Whether any entry can match something outside the exact list.</summary>
    public bool HasPatterns => _wildcards.Length > 0 || _regexes.Length > 0 || _predicate is not null;

    /// <summary>Whether an origin expression runs on the backtracking engine (allowed explicitly, with a short match timeout).</summary>
    public bool UsesBacktrackingRegex { get; }

    /// <summary>The origin source, if the policy draws from one.</summary>
    public OriginSource? Source => _source;

    /// <summary>Whether an origin predicate is configured (its verdict is asked for last, and may be awaited with a bound).</summary>
    public bool HasPredicate => _predicate is not null;

    /// <summary>
    /// Whether the request's origin is allowed, the predicate (if any) called inline. Exceptions of the predicate and a
    /// regex timeout propagate (the evaluator fails closed).
    /// </summary>
    /// <param name="origin">The request's <c>Origin</c> value, as sent.</param>
    public bool Matches(string origin) => Matches(origin, tenant: null);

    /// <summary>Whether the request's origin is allowed for <paramref name="tenant"/>, as <see cref="Matches(string)"/>.</summary>
    /// <param name="origin">The request's <c>Origin</c> value, as sent.</param>
    /// <param name="tenant">The request's tenant, for the origin source.</param>
    public bool Matches(string origin, string? tenant) => MatchWithoutPredicate(origin, tenant) switch
    {
        OriginMatch.Allowed => true,
        OriginMatch.AskPredicate => _predicate!(origin),
        _ => false,
    };

    /// <summary>Every entry but the predicate: allowed, refused, or left to the predicate (shape-valid and matched by nothing else).</summary>
    /// <param name="origin">The request's <c>Origin</c> value, as sent.</param>
    /// <param name="tenant">The request's tenant, for the origin source.</param>
    public OriginMatch MatchWithoutPredicate(string origin, string? tenant = null)
    {
        if (_exact.Contains(origin))
        {
            return OriginMatch.Allowed;
        }

        // Before the source, which never holds null (and counts its lookups).
        if (origin == Origin.Null)
        {
            return AllowsNull ? OriginMatch.Allowed : OriginMatch.Refused;
        }

        if (_source is not null && (!_tenanted || !string.IsNullOrEmpty(tenant)) && _source.Contains(tenant, origin))
        {
            return OriginMatch.Allowed;
        }

        if (!HasPatterns || !Origin.IsSerializedTupleOrigin(origin))
        {
            return OriginMatch.Refused;
        }

        foreach (var wildcard in _wildcards)
        {
            if (wildcard.Matches(origin))
            {
                return OriginMatch.Allowed;
            }
        }

        if (_regexes.Length > 0 && MatchesRegex(origin))
        {
            return OriginMatch.Allowed;
        }

        return _predicate is null ? OriginMatch.Refused : OriginMatch.AskPredicate;
    }

    // A regex run costs about a microsecond with many alternatives; the same origin is answered from the bounded memo.
    // A timeout throws before anything is memoised, so the origin is checked again next time.
    private bool MatchesRegex(string origin)
    {
        if (_regexVerdicts!.TryGet(origin, out var allowed))
        {
            return allowed;
        }

        allowed = false;
        foreach (var regex in _regexes)
        {
            if (regex.IsMatch(origin))
            {
                allowed = true;
                break;
            }
        }

        _regexVerdicts.Add(origin, allowed);
        return allowed;
    }

    /// <summary>
    /// Asks the predicate on a thread of <paramref name="bulkhead"/> (never the request's, nor a thread-pool thread) and
    /// waits for it asynchronously at most <paramref name="budget"/> from its admission. Fails with
    /// <see cref="TimeoutException"/> past the budget, <see cref="BulkheadFullException"/> when the bulkhead is
    /// full (the predicate is not called), or what the predicate threw.
    /// </summary>
    public Task<bool> MatchesPredicateAsync(string origin, UserCodeBulkhead bulkhead, TimeSpan budget, string caller, CancellationToken cancellationToken) =>
        bulkhead.RunAsync(_predicate!, origin, budget, caller, cancellationToken);
}

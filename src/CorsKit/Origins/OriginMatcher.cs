using System.Collections.Frozen;
using System.Runtime.ExceptionServices;
using System.Text.RegularExpressions;
using CorsKit.Policies;

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

    /// <summary>
    /// Whether the request's origin is allowed. The predicate's exceptions, a regex timeout and a predicate timeout propagate
    /// (the evaluator fails closed).
    /// </summary>
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

        return (_regex is not null && _regex.IsMatch(origin)) || (_predicate is not null && MatchesPredicate(_predicate, origin));
    }

    // A predicate is user code that may block (a lock, a slow lookup). Synchronous code cannot be stopped, so it runs on
    // the thread pool and the request waits for it at most OriginPredicateTimeout; a hung predicate keeps only its own thread.
    private static bool MatchesPredicate(Func<string, bool> predicate, string origin)
    {
        var check = Task.Factory.StartNew(
            static state =>
            {
                var (predicate, origin) = ((Func<string, bool>, string))state!;
                return predicate(origin);
            },
            (predicate, origin),
            CancellationToken.None,
            TaskCreationOptions.DenyChildAttach,
            TaskScheduler.Default);

        try
        {
            if (!check.Wait(CorsPolicyBuilder.OriginPredicateTimeout))
            {
                throw new TimeoutException($"the origin predicate did not return within {CorsPolicyBuilder.OriginPredicateTimeout.TotalMilliseconds} ms");
            }
        }
        catch (AggregateException ex) when (ex.InnerException is not null)
        {
            ExceptionDispatchInfo.Throw(ex.InnerException);
        }

        return check.Result;
    }
}

namespace CorsKit.Origins;

/// <summary>
/// A fixed-size memo of the verdicts of a policy's origin regular expressions, so that a client sending the same origin
/// again costs a hash and a string comparison instead of a regex run. Only regular expressions are memoised: they are
/// pure, whereas a predicate may consult state that changes.
/// Bounded whatever the traffic: two tables (allowed, refused) of <see cref="SlotCount"/> references each, and only
/// origins of at most <see cref="MaxOriginLength"/> characters are kept. A flood of distinct origins only overwrites
/// slots. Each origin has two candidate slots (from two halves of its hash), so two frequent origins rarely evict each
/// other. Nothing is allocated, and no lock is taken: a slot holds a single reference, written atomically, and an origin
/// only ever appears in the table of its own verdict, so a racing reader sees either the answer or a miss.
/// </summary>
internal sealed class OriginVerdictCache
{
    /// <summary>Slots per table (a power of two).</summary>
    public const int SlotCount = 1024;

    /// <summary>Longest origin kept; longer ones are always matched afresh (real origins are far shorter).</summary>
    public const int MaxOriginLength = 128;

    private const int Mask = SlotCount - 1;
    private readonly string?[] _allowed = new string?[SlotCount];
    private readonly string?[] _refused = new string?[SlotCount];

    /// <summary>How many origins are held (for tests: never more than twice <see cref="SlotCount"/>).</summary>
    public int Count => _allowed.Count(s => s is not null) + _refused.Count(s => s is not null);

    /// <summary>Looks up the verdict on <paramref name="origin"/>.</summary>
    /// <returns><see langword="true"/> when the verdict was memoised.</returns>
    public bool TryGet(string origin, out bool allowed)
    {
        var hash = origin.GetHashCode();
        int first = hash & Mask, second = (hash >>> 16) & Mask;
        if (Holds(_allowed, first, origin) || Holds(_allowed, second, origin))
        {
            allowed = true;
            return true;
        }

        allowed = false;
        return Holds(_refused, first, origin) || Holds(_refused, second, origin);
    }

    /// <summary>Memoises the verdict on <paramref name="origin"/> (ignored for overlong origins).</summary>
    public void Add(string origin, bool allowed)
    {
        if (origin.Length > MaxOriginLength)
        {
            return;
        }

        var table = allowed ? _allowed : _refused;
        var hash = origin.GetHashCode();
        int first = hash & Mask, second = (hash >>> 16) & Mask;

        // The first candidate unless it is taken and the second is free; a full pair loses its first entry.
        var slot = table[first] is not null && table[second] is null ? second : first;
        table[slot] = origin;
    }

    private static bool Holds(string?[] table, int slot, string origin) =>
        table[slot] is { } held && string.Equals(held, origin, StringComparison.Ordinal);
}

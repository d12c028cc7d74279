namespace CorsKit.Origins;

/// <summary>What the policy's origin entries, the predicate aside, say about an origin.</summary>
internal enum OriginMatch
{
    /// <summary>No entry matches.</summary>
    Refused,

    /// <summary>An exact, <c>null</c>, wildcard or regex entry matches.</summary>
    Allowed,

    /// <summary>Nothing else matched a well-formed origin: the predicate decides.</summary>
    AskPredicate,
}

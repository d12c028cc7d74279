namespace CorsKit.Evaluation;

/// <summary>What the server decided about a request.</summary>
public enum CorsOutcome
{
    /// <summary>No <c>Origin</c>: not a CORS request; nothing to add but <c>Vary</c>.</summary>
    NotCors,

    /// <summary>Allowed: the CORS headers are sent.</summary>
    Allowed,

    /// <summary>Rejected: see <see cref="CorsDecision.Reason"/>.</summary>
    Rejected,
}

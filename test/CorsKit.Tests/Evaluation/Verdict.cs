using CorsKit.Evaluation;

namespace CorsKit.Tests.Evaluation;

/// <summary>What the evaluator decided, apart from the headers.</summary>
internal sealed record Verdict(CorsOutcome Outcome, bool IsPreflight, RejectionReason Reason = RejectionReason.None, string? RejectedValue = null)
{
    public static Verdict AllowedActual { get; } = new(CorsOutcome.Allowed, IsPreflight: false);

    public static Verdict AllowedPreflight { get; } = new(CorsOutcome.Allowed, IsPreflight: true);

    public static Verdict RejectedActual(RejectionReason reason, string? value = null) => new(CorsOutcome.Rejected, false, reason, value);

    public static Verdict RejectedPreflight(RejectionReason reason, string? value = null) => new(CorsOutcome.Rejected, true, reason, value);

    public static Verdict Of(in CorsDecision decision) => new(decision.Outcome, decision.IsPreflight, decision.Reason, decision.RejectedValue);
}

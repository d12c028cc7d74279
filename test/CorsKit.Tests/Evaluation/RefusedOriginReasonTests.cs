using CorsKit.Evaluation;
using CorsKit.Policies;

namespace CorsKit.Tests.Evaluation;

// The reason for a refused origin is worked out when read, not when deciding; these pin what it reads as.
public sealed class RefusedOriginReasonTests
{
    private static readonly CorsPolicy Policy = new CorsPolicyBuilder().WithOrigins("https://app.example.com").Build();

    [Theory]
    [InlineData("https://evil.example.net", RejectionReason.OriginNotAllowed, "https://evil.example.net")]
    [InlineData("null", RejectionReason.OriginNotAllowed, "null")]
    [InlineData("HTTPS://APP.example.com", RejectionReason.OriginMalformed, null)]
    [InlineData("https://app.example.com:443", RejectionReason.OriginMalformed, null)]
    [InlineData("https://app.example.com/", RejectionReason.OriginMalformed, null)]
    public void Evaluate_OriginNotListed_ReasonAndValueAsRead(string origin, RejectionReason reason, string? value)
    {
        var decision = CorsEvaluator.Evaluate(Policy, new CorsRequest("GET", origin));

        Assert.Equal(CorsOutcome.Rejected, decision.Outcome);
        Assert.Equal(reason, decision.Reason);
        Assert.Equal(value, decision.RejectedValue);
        Assert.Null(decision.AllowOrigin);
        Assert.Contains(reason == RejectionReason.OriginNotAllowed ? $"origin '{origin}' is not allowed" : "is not a serialized origin", decision.Explain(), StringComparison.Ordinal);
    }
}

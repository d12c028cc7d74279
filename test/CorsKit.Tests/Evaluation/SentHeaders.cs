using CorsKit.Evaluation;

namespace CorsKit.Tests.Evaluation;

/// <summary>
/// Every header a <see cref="CorsDecision"/> makes the server send, as one value: asserting it with
/// <c>Assert.Equal</c> checks all of them at once, and a failure prints the whole set.
/// </summary>
internal sealed record SentHeaders(
    string? AllowOrigin = null,
    bool AllowCredentials = false,
    string? AllowMethods = null,
    string? AllowHeaders = null,
    string? ExposeHeaders = null,
    string? MaxAge = null,
    bool AllowPrivateNetwork = false,
    VaryOn Vary = VaryOn.None)
{
    /// <summary>No CORS header, and no <c>Vary</c>.</summary>
    public static SentHeaders None { get; } = new();

    /// <summary>No CORS header, only <c>Vary: Origin</c>.</summary>
    public static SentHeaders VaryOriginOnly { get; } = new(Vary: VaryOn.Origin);

    public static SentHeaders Of(in CorsDecision decision) => new(
        decision.AllowOrigin,
        decision.AllowCredentials,
        decision.AllowMethods,
        decision.AllowHeaders,
        decision.ExposeHeaders,
        decision.MaxAge,
        decision.AllowPrivateNetwork,
        decision.Vary);
}

using CorsKit.AspNetCore.Providers;

namespace CorsKit.AspNetCore;

/// <summary>A default policy chosen by <c>UseCorsKit("name")</c> or <c>UseCorsKit(policy => ...)</c>.</summary>
/// <param name="Call">The call as the app wrote it, for messages.</param>
/// <param name="PolicyName">The registered name, or <see langword="null"/> for an inline policy.</param>
/// <param name="Policy">What it resolves to.</param>
internal sealed record DefaultPolicySelection(string Call, string? PolicyName, ResolvedPolicy Policy)
{
    /// <summary>Whether both calls choose the same default (the same name, or the very same inline call).</summary>
    public bool Chooses(DefaultPolicySelection? other) =>
        ReferenceEquals(this, other) || (PolicyName is not null && PolicyName == other?.PolicyName);
}

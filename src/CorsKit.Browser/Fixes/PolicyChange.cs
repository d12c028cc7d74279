using System.Text.RegularExpressions;

namespace CorsKit.Browser.Fixes;

/// <summary>
/// What a CorsKit server in debug mode said it refused, from its <c>X-CorsKit-Reason</c> header, such as
/// <c>header 'x-api-key' is not allowed by policy 'items'; allowed: x-token, content-type</c>: the policy, the entry it
/// lacks and what it allows, so the fix adds that entry to that policy instead of writing a new one.
/// </summary>
/// <param name="Name">The policy's name (<c>default</c> for the default policy).</param>
/// <param name="Kind"><see cref="Origin"/>, <see cref="Method"/> or <see cref="Header"/>.</param>
/// <param name="Missing">The entry to add, as the request sent it.</param>
/// <param name="Allowed">What the policy allows now, as the server listed it.</param>
public sealed partial record PolicyChange(string Name, string Kind, string Missing, string Allowed)
{
    /// <summary>The <see cref="Kind"/> of a missing origin.</summary>
    public const string Origin = "origin";

    /// <summary>The <see cref="Kind"/> of a missing method.</summary>
    public const string Method = "method";

    /// <summary>The <see cref="Kind"/> of a missing request header.</summary>
    public const string Header = "header";

    /// <summary>The header CorsKit's debug mode names the reason in (its default name).</summary>
    public const string ReasonHeader = "X-CorsKit-Reason";

    /// <summary>The change a reason asks for, or <see langword="null"/> when it names no missing entry.</summary>
    /// <param name="reason">The header's value, or <see langword="null"/> when absent.</param>
    public static PolicyChange? FromReason(string? reason) =>
        reason is not null && Reason().Match(reason) is { Success: true } match
            ? new(match.Groups["policy"].Value, match.Groups["kind"].Value, match.Groups["value"].Value, match.Groups["allowed"].Value.Trim())
            : null;

    // CorsDecision.Explain's words; a note may follow after "; " (a header the app set that CorsKit removed).
    [GeneratedRegex(@"^(?<kind>origin|method|header) '(?<value>[^']+)' is not allowed by policy '(?<policy>[^']+)'; allowed: (?<allowed>[^;]*)")]
    private static partial Regex Reason();
}

namespace CorsKit.Origins;

/// <summary>
/// A class or escape of an origin pattern that stands where the host has a dot but takes other characters too
/// (<c>[.-]</c> in <c>https://app[.-]example\.com</c>), so the pattern matches a site it never names.
/// </summary>
/// <param name="Probe">The origin of that other site the pattern matched, such as <c>https://app-example.com</c>.</param>
/// <param name="Host">The host with the dot, such as <c>app.example.com</c>.</param>
/// <param name="Construct">The class or escape as written, such as <c>[.-]</c>.</param>
/// <param name="Fix">The pattern with <c>\.</c> in its place.</param>
internal sealed record RegexDotStandIn(string Probe, string Host, string Construct, string Fix);

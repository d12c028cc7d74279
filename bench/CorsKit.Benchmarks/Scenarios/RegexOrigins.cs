using System.Globalization;
using CorsKit.Benchmarks.Infrastructure;

namespace CorsKit.Benchmarks.Scenarios;

/// <summary>
/// The policy of the regex scenarios: 100 expressions <c>https://tenant-[0-9]+\.region{k}\.example\.com</c>, k = 0..99
/// (CorsKit: <c>WithOriginRegex</c>; Microsoft: the same expressions, compiled, tried in turn by <c>SetIsOriginAllowed</c>).
/// Origin i is allowed by expression i % 100, so on average half the list is tried before a match.
/// </summary>
internal static class RegexOrigins
{
    public const int PatternCount = 100;

    public static CorsSetup App { get; } = new(new PolicyShape
    {
        Origins = [],
        OriginRegexes = [.. Enumerable.Range(0, PatternCount).Select(k => string.Create(CultureInfo.InvariantCulture, $@"https://tenant-[0-9]+\.region{k}\.example\.com"))],
    });

    public static string OriginAt(int index) =>
        string.Create(CultureInfo.InvariantCulture, $"https://tenant-{index}.region{index % PatternCount}.example.com");
}

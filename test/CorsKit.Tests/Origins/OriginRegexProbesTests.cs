using System.Text.RegularExpressions;
using CorsKit.Origins;

namespace CorsKit.Tests.Origins;

public sealed class OriginRegexProbesTests
{
    [Theory]
    [InlineData(".*", "https://corskit-probe.invalid")]
    [InlineData("http://.*", "http://corskit-probe.invalid")]
    [InlineData("https://[^:]+:8443", "https://corskit-probe.invalid:8443")]
    [InlineData(@"https://app\.example\.com", null)]
    [InlineData(@"https://.*\.example\.com", null)]
    [InlineData(@"https?://localhost:[0-9]+", null)]
    public void MatchesAnyHost_Pattern_ReturnsTheFirstProbeItMatches(string pattern, string? expected)
    {
        // Act
        var probe = OriginRegexProbes.MatchesAnyHost(Anchored(pattern));

        // Assert
        Assert.Equal(expected, probe);
    }

    [Fact]
    public void MatchesPublicSuffix_Patterns_ReportsEachOffenderWithTheBroadestSuffix()
    {
        // Arrange
        Regex[] patterns = [Anchored(@"https://app\.example\.com"), Anchored(@"https://.*\.co\.uk"), Anchored(@"https://[a-z]+\.github\.io"), Anchored(@"https?://[a-z0-9-]+\.(com|net)")];

        // Act
        var found = OriginRegexProbes.MatchesPublicSuffix(patterns, patterns);

        // Assert
        Assert.Equal([1, 2, 3], found.Keys.Order());
        Assert.Equal(("co.uk", "https://corskitprobe.co.uk"), found[1]);
        Assert.Equal(("github.io", "https://corskitprobe.github.io"), found[2]);
        Assert.Equal(("com", "https://corskitprobe.com"), found[3]);
    }

    [Fact]
    public void MatchesPublicSuffix_RegistrableDomainsOnly_FindsNothing()
    {
        // Arrange
        Regex[] patterns = [Anchored(@"https://[a-z0-9-]+\.example\.co\.uk"), Anchored(@"https://[a-z]+\.notgithub\.io")];

        // Act
        var found = OriginRegexProbes.MatchesPublicSuffix(patterns, patterns);

        // Assert
        Assert.Empty(found);
    }

    private static Regex Anchored(string pattern) =>
        new(@"\A(?:" + pattern + @")\z", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
}

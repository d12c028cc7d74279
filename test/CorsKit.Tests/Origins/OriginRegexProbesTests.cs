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

    [Theory]
    [InlineData(@"https://app[.-]example\.com", "https://app-example.com", "app.example.com", "[.-]", @"https://app\.example\.com")]
    [InlineData(@"https://app\Wexample\.com", "https://app-example.com", "app.example.com", @"\W", @"https://app\.example\.com")]
    [InlineData(@"https://app[^-]example\.com", "https://appaexample.com", "app.example.com", "[^-]", @"https://app\.example\.com")]
    public void MatchesDotStandIn_ClassWhereTheHostHasADot_NamesTheOtherSite(string pattern, string probe, string host, string construct, string fix)
    {
        // Act
        var found = OriginRegexProbes.MatchesDotStandIn(Anchored(pattern), pattern);

        // Assert
        Assert.Equal(new RegexDotStandIn(probe, host, construct, fix), found);
    }

    [Theory]
    [InlineData(@"https://app\.example\.com")]
    [InlineData(@"https://app-[0-9]+\.example\.com")]
    [InlineData(@"https://[a-z]+[.-][a-z]+\.example\.com")]   // every change stays under example.com
    [InlineData(@"https://app\.example\.com|https://app-example\.com")]   // both sites written out
    public void MatchesDotStandIn_DotsSpelledOut_Null(string pattern)
    {
        // Act
        var found = OriginRegexProbes.MatchesDotStandIn(Anchored(pattern), pattern);

        // Assert
        Assert.Null(found);
    }

    [Theory]
    [InlineData(@"https://(www\.)?example\.[a-z]+", "https://example.corskitprobe")]
    [InlineData(@"http://app\.example\.[a-z]{2,6}:8080", "http://app.example.zz:8080")]
    [InlineData(@"https://app\.example\.[a-z]{3}", "https://app.example.zzz")]
    [InlineData(@"https://app\.example\.(com|net)", null)]
    [InlineData(@"http://localhost:[0-9]+", null)]
    public void MatchesAnyTopLevelDomain_Pattern_ReturnsTheProbeItMatches(string pattern, string? expected)
    {
        // Act
        var probe = OriginRegexProbes.MatchesAnyTopLevelDomain(Anchored(pattern), pattern);

        // Assert
        Assert.Equal(expected, probe);
    }

    private static Regex Anchored(string pattern) =>
        new(@"\A(?:" + pattern + @")\z", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
}

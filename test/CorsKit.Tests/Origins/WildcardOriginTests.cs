using CorsKit.Origins;

namespace CorsKit.Tests.Origins;

public sealed class WildcardOriginTests
{
    [Theory]
    [InlineData("https://*.example.com", true)]
    [InlineData("HTTPS://*.Example.COM", true)]
    [InlineData("*.example.com", true)]
    [InlineData("https://a.*.example.com", true)]
    [InlineData("*", false)]
    [InlineData("https://app.example.com", false)]
    [InlineData("null", false)]
    public void IsWildcardEntry_Entry_TrueWhenItContainsAStarOtherThanTheLoneStar(string entry, bool expected)
    {
        // Act
        var result = WildcardOrigin.IsWildcardEntry(entry);

        // Assert
        Assert.Equal(expected, result);
    }

    [Theory]
    [InlineData("https://*.example.com", "https://*.example.com")]
    [InlineData("HTTPS://*.Example.COM", "https://*.example.com")]
    [InlineData("https://*.example.com:443", "https://*.example.com")]
    [InlineData("http://*.example.com:80", "http://*.example.com")]
    [InlineData("https://*.example.com:8443", "https://*.example.com:8443")]
    [InlineData("https://*.bücher.example", "https://*.xn--bcher-kva.example")]
    [InlineData("http://*.localhost:3000", "http://*.localhost:3000")]
    public void TryParse_ValidEntry_ReturnsNormalisedPattern(string entry, string expected)
    {
        // Act
        var wildcard = WildcardOrigin.TryParse(entry, out var error);

        // Assert
        Assert.Null(error);
        Assert.Equal(expected, wildcard!.Pattern);
    }

    [Theory]
    [InlineData("*.example.com", "\"*.example.com\" has no scheme; write the wildcard as \"https://*.example.com\"")]
    [InlineData("https://a.*.example.com", "\"https://a.*.example.com\" puts '*' somewhere other than the whole first label; the only wildcard form is \"scheme://*.domain[:port]\"")]
    [InlineData("https://*example.com", "\"https://*example.com\" puts '*' somewhere other than the whole first label; the only wildcard form is \"scheme://*.domain[:port]\"")]
    [InlineData("https://*.*.example.com", "\"https://*.*.example.com\" puts '*' somewhere other than the whole first label; the only wildcard form is \"scheme://*.domain[:port]\"")]
    [InlineData("https://app-*.example.com", "\"https://app-*.example.com\" puts '*' somewhere other than the whole first label; the only wildcard form is \"scheme://*.domain[:port]\"")]
    [InlineData("https://*", "\"https://*\" puts '*' somewhere other than the whole first label; the only wildcard form is \"scheme://*.domain[:port]\"")]
    [InlineData("https://*.com", "\"https://*.com\" matches every site under the top-level domain \"com\"; name a registrable domain such as \"https://*.example.com\"")]
    [InlineData("https://*.COM:8443", "\"https://*.COM:8443\" matches every site under the top-level domain \"com\"; name a registrable domain such as \"https://*.example.com\"")]
    public void TryParse_InvalidForm_ReturnsNullWithExactMessage(string entry, string expected)
    {
        // Act
        var wildcard = WildcardOrigin.TryParse(entry, out var error);

        // Assert
        Assert.Null(wildcard);
        Assert.Equal(expected, error);
    }

    [Theory]
    [InlineData("https://*.example.com/", "wildcard \"https://*.example.com/\" has a path (a trailing slash); an origin is scheme://host[:port], so write \"https://*.example.com\"")]
    [InlineData("HTTPS://*.example.com/api", "wildcard \"HTTPS://*.example.com/api\" has a path; an origin is scheme://host[:port], so write \"https://*.example.com\"")]
    [InlineData("https://*.example.com:99999", "wildcard \"https://*.example.com:99999\" has an invalid port \"99999\"; a port is a number from 0 to 65535")]
    [InlineData("https://*.user@example.com", "wildcard \"https://*.user@example.com\" has user information (\"...@\"); an origin is scheme://host[:port] and never carries credentials")]
    [InlineData("https://*.exa!mple.com", "wildcard \"https://*.exa!mple.com\" has an invalid host \"exa!mple.com\"; an origin is scheme://host[:port]")]
    public void TryParse_InvalidDomain_NamesTheEntryAsWrittenAndKeepsTheWildcardInTheFix(string entry, string expected)
    {
        // Act
        var wildcard = WildcardOrigin.TryParse(entry, out var error);

        // Assert
        Assert.Null(wildcard);
        Assert.Equal(expected, error);
    }

    [Theory]
    [InlineData("https://*.co.uk", "\"https://*.co.uk\" matches every site under the public suffix \"co.uk\", where anyone can register a name; name a domain you control under it, such as \"https://*.example.co.uk\"")]
    [InlineData("https://*.github.io", "\"https://*.github.io\" matches every site under the public suffix \"github.io\", where anyone can register a name; name a domain you control under it, such as \"https://*.example.github.io\"")]
    [InlineData("HTTP://*.GitHub.IO:8080", "\"HTTP://*.GitHub.IO:8080\" matches every site under the public suffix \"github.io\", where anyone can register a name; name a domain you control under it, such as \"http://*.example.github.io:8080\"")]
    [InlineData("https://*.com.", "\"https://*.com.\" matches every site under the top-level domain \"com\"; name a registrable domain such as \"https://*.example.com\"")]
    [InlineData("https://*.github.io.", "\"https://*.github.io.\" matches every site under the public suffix \"github.io\", where anyone can register a name; name a domain you control under it, such as \"https://*.example.github.io\"")]
    [InlineData("https://*.example.com.", "\"https://*.example.com.\" ends its host with a dot, which browsers keep: it matches only that spelling of the host, never the origin a site normally sends; write \"https://*.example.com\"")]
    public void TryParse_PublicSuffixOrTrailingDot_ReturnsNullWithExactMessage(string entry, string expected)
    {
        // Act
        var wildcard = WildcardOrigin.TryParse(entry, out var error);

        // Assert
        Assert.Null(wildcard);
        Assert.Equal(expected, error);
    }

    [Theory]
    [InlineData("https://*.notgithub.io", "https://*.notgithub.io")]
    [InlineData("https://*.mygithub.io", "https://*.mygithub.io")]
    [InlineData("https://*.user.github.io", "https://*.user.github.io")]
    [InlineData("https://*.example.co.uk", "https://*.example.co.uk")]
    [InlineData("https://*.www.ck", "https://*.www.ck")]
    public void TryParse_LookalikeOrRegistrableDomain_Accepted(string entry, string expected)
    {
        // Act
        var wildcard = WildcardOrigin.TryParse(entry, out var error);

        // Assert
        Assert.Null(error);
        Assert.Equal(expected, wildcard!.Pattern);
    }

    [Theory]
    [InlineData("https://a.example.com")]
    [InlineData("https://app.example.com")]
    [InlineData("https://a.b.example.com")]
    [InlineData("https://deep.er.still.example.com")]
    [InlineData("https://x-1.example.com")]
    [InlineData("https://www.example.com")]
    public void Matches_SubdomainAtAnyDepth_ReturnsTrue(string origin)
    {
        // Arrange
        var wildcard = Parse("https://*.example.com");

        // Act
        var result = wildcard.Matches(origin);

        // Assert
        Assert.True(result);
    }

    [Theory]
    [InlineData("https://example.com")]                 // the apex: list it separately
    [InlineData("https://evilexample.com")]             // suffix match without the dot
    [InlineData("https://xample.com")]
    [InlineData("https://example.com.evil.com")]        // prefix match
    [InlineData("https://a.example.com.evil.com")]
    [InlineData("http://a.example.com")]                // https trusts http
    [InlineData("https://a.example.com:8443")]          // another port
    [InlineData("https://a.example.com.")]              // trailing dot: another origin
    [InlineData("https://.example.com")]
    [InlineData("https://a.example.co")]
    [InlineData("https://a.example.comx")]
    [InlineData("wss://a.example.com")]
    [InlineData("")]
    public void Matches_NotAStrictSubdomainWithSameSchemeAndPort_ReturnsFalse(string origin)
    {
        // Arrange
        var wildcard = Parse("https://*.example.com");

        // Act
        var result = wildcard.Matches(origin);

        // Assert
        Assert.False(result);
    }

    [Theory]
    [InlineData("https://a.example.com:8443", true)]
    [InlineData("https://a.b.example.com:8443", true)]
    [InlineData("https://a.example.com", false)]
    [InlineData("https://a.example.com:443", false)]
    [InlineData("https://a.example.com:9443", false)]
    [InlineData("https://example.com:8443", false)]
    public void Matches_EntryWithPort_MatchesOnlyThatPort(string origin, bool expected)
    {
        // Arrange
        var wildcard = Parse("https://*.example.com:8443");

        // Act
        var result = wildcard.Matches(origin);

        // Assert
        Assert.Equal(expected, result);
    }

    [Theory]
    [InlineData("https://a.xn--bcher-kva.example", true)]
    [InlineData("https://xn--bcher-kva.example", false)]
    public void Matches_InternationalisedEntry_ComparesPunycode(string origin, bool expected)
    {
        // Arrange
        var wildcard = Parse("https://*.bücher.example");

        // Act
        var result = wildcard.Matches(origin);

        // Assert
        Assert.Equal(expected, result);
    }

    private static WildcardOrigin Parse(string entry) =>
        WildcardOrigin.TryParse(entry, out var error) ?? throw new InvalidOperationException(error);
}

using System.Text.RegularExpressions;
using CorsKit.Origins;
using CorsKit.Policies;

namespace CorsKit.Tests.Origins;

public sealed class OriginMatcherTests
{
    [Theory]
    [InlineData("https://app.example.com", true)]
    [InlineData("https://admin.example.com:8443", true)]
    [InlineData("https://APP.example.com", false)]
    [InlineData("https://app.example.com:443", false)]
    [InlineData("https://app.example.com/", false)]
    [InlineData("http://app.example.com", false)]
    [InlineData("https://admin.example.com", false)]
    [InlineData("null", false)]
    public void Matches_ExactEntries_ComparesTheSerializedFormOrdinally(string origin, bool expected)
    {
        // Arrange
        var matcher = Matcher(b => b.WithOrigins("HTTPS://App.Example.com:443", "https://admin.example.com:8443"));

        // Act
        var result = matcher.Matches(origin);

        // Assert
        Assert.Equal(expected, result);
    }

    [Fact]
    public void ExactOrigins_MixedCaseAndDefaultPortEntries_AreNormalised()
    {
        // Act
        var matcher = Matcher(b => b.WithOrigins("HTTPS://App.Example.com:443", "https://bücher.example"));

        // Assert
        Assert.Equal(["https://app.example.com", "https://xn--bcher-kva.example"], matcher.ExactOrigins.Order(StringComparer.Ordinal));
        Assert.False(matcher.AllowsNull);
        Assert.False(matcher.HasPatterns);
    }

    [Fact]
    public void Matches_NullNotListed_ReturnsFalseEvenWhenEveryPatternWouldAccept()
    {
        // Arrange
        var calls = new List<string>();
        var matcher = Matcher(b => b
            .WithOrigins("https://app.example.com", "https://*.example.com").SetIsOriginAllowedToAllowWildcardSubdomains()
            .WithOriginRegex("null.*")   // would match the text "null" itself
            .WithOriginPredicate(o => { calls.Add(o); return true; }));

        // Act
        var result = matcher.Matches("null");

        // Assert
        Assert.False(result);
        Assert.False(matcher.AllowsNull);
        Assert.Empty(calls);
    }

    [Fact]
    public void Matches_NullListedExplicitly_ReturnsTrue()
    {
        // Arrange
        var matcher = Matcher(b => b.WithOrigins("https://app.example.com", "null"));

        // Act
        var result = matcher.Matches("null");

        // Assert
        Assert.True(result);
        Assert.True(matcher.AllowsNull);
        Assert.Equal(["https://app.example.com"], matcher.ExactOrigins);
    }

    [Theory]
    [InlineData("NULL")]
    [InlineData("Null")]
    [InlineData("null ")]
    public void Matches_NullInAnotherCase_ReturnsFalse(string origin)
    {
        // Arrange
        var matcher = Matcher(b => b.WithOrigins("null"));

        // Act
        var result = matcher.Matches(origin);

        // Assert
        Assert.False(result);
    }

    [Theory]
    [InlineData("https://a.example.com", true)]
    [InlineData("https://a.b.example.com", true)]
    [InlineData("https://example.com", false)]
    [InlineData("https://A.example.com", false)]        // not a serialized origin: refused before any pattern
    [InlineData("https://a..example.com", false)]
    [InlineData("https://a.example.com/", false)]
    [InlineData("https://a.example.com.", false)]
    public void Matches_WildcardEntry_OnlyForWellFormedStrictSubdomains(string origin, bool expected)
    {
        // Arrange
        var matcher = Matcher(b => b.WithOrigins("https://*.example.com").SetIsOriginAllowedToAllowWildcardSubdomains());

        // Act
        var result = matcher.Matches(origin);

        // Assert
        Assert.Equal(expected, result);
        Assert.Equal(["https://*.example.com"], matcher.WildcardPatterns);
        Assert.True(matcher.HasPatterns);
    }

    [Fact]
    public void Matches_ApexAndWildcardBothListed_MatchesBoth()
    {
        // Arrange
        var matcher = Matcher(b => b.WithOrigins("https://example.com", "https://*.example.com").SetIsOriginAllowedToAllowWildcardSubdomains());

        // Act
        var apex = matcher.Matches("https://example.com");
        var sub = matcher.Matches("https://www.example.com");

        // Assert
        Assert.True(apex);
        Assert.True(sub);
    }

    [Theory]
    [InlineData("https://app.example.com", true)]
    [InlineData("https://app.example.com.evil.com", false)]   // the end is anchored
    [InlineData("https://xhttps://app.example.com", false)]   // and the start (also not a serialized origin)
    [InlineData("https://app.example.com:8443", false)]
    [InlineData("https://appxexample.com", false)]
    public void Matches_RegexEntry_MustMatchTheWholeOrigin(string origin, bool expected)
    {
        // Arrange
        var matcher = Matcher(b => b.WithOriginRegex(@"https://app\.example\.com"));

        // Act
        var result = matcher.Matches(origin);

        // Assert
        Assert.Equal(expected, result);
    }

    [Theory]
    [InlineData("https://evil.example.com", false)]
    [InlineData("example.com", false)]
    public void Matches_RegexWithoutScheme_IsAnchoredAtTheStart(string origin, bool expected)
    {
        // Arrange: unanchored, "[a-z]+\.example\.com" would find "evil.example.com" inside "https://evil.example.com".
        var matcher = Matcher(b => b.WithOriginRegex(@"[a-z]+\.example\.com"));

        // Act
        var result = matcher.Matches(origin);

        // Assert
        Assert.Equal(expected, result);
    }

    [Theory]
    [InlineData("https://a.example.com", true)]
    [InlineData("https://b.example.org", true)]
    [InlineData("https://a.example.com.evil.com", false)]
    [InlineData("https://b.example.org.evil.com", false)]
    [InlineData("https://evil.com.b.example.org", false)]
    public void Matches_SeveralRegexEntries_EachIsAnchoredNotJustTheFirstAndLast(string origin, bool expected)
    {
        // Arrange: a naive "^a|b$" would anchor only the start of the first and the end of the last alternative.
        var matcher = Matcher(b => b.WithOriginRegex(@"https://a\.example\.com", @"https://b\.example\.org"));

        // Act
        var result = matcher.Matches(origin);

        // Assert
        Assert.Equal(expected, result);
    }

    [Theory]
    [InlineData("https://app.example.com", true)]
    [InlineData("https://appxexample.com", true)]     // '.' matches any character: the scanner's "unescaped dot" finding
    [InlineData("https://app.examplexcom", true)]
    [InlineData("https://app-example.com", true)]
    public void Matches_RegexWithUnescapedDots_AlsoMatchesLookalikeOrigins(string origin, bool expected)
    {
        // Arrange: this is why Build() refuses such a pattern (so it is given here directly): an attacker can register "appxexample.com".
        var regex = new Regex(@"\Ahttps://app.example.com\z", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
        var matcher = new OriginMatcher([], allowNull: false, [], [regex], predicate: null);

        // Act
        var result = matcher.Matches(origin);

        // Assert
        Assert.Equal(expected, result);
    }

    [Theory]
    [InlineData("https://app.example.com", true)]
    [InlineData("https://appxexample.com", false)]
    [InlineData("https://app.examplexcom", false)]
    public void Matches_RegexWithEscapedDots_MatchesOnlyLiteralDots(string origin, bool expected)
    {
        // Arrange
        var matcher = Matcher(b => b.WithOriginRegex(@"https://app\.example\.com"));

        // Act
        var result = matcher.Matches(origin);

        // Assert
        Assert.Equal(expected, result);
    }

    [Theory]
    [InlineData("https://app-1.example.com", true)]
    [InlineData("https://app-42.example.com", true)]
    [InlineData("https://app-.example.com", false)]
    [InlineData("https://app-1.example.com.evil.com", false)]
    public void Matches_RegexWithCharacterClass_MatchesTheWholeFamily(string origin, bool expected)
    {
        // Arrange
        var matcher = Matcher(b => b.WithOriginRegex(@"https://app-[0-9]+\.example\.com"));

        // Act
        var result = matcher.Matches(origin);

        // Assert
        Assert.Equal(expected, result);
    }

    [Theory]
    [InlineData("https://aa.example.com", true)]
    [InlineData("https://ab.example.com", false)]
    public void Matches_RegexNeedingBacktracking_StillAnchoredAndCorrect(string origin, bool expected)
    {
        // Arrange: a backreference is not supported by the non-backtracking engine; the policy opts in to the backtracking one.
        var matcher = Matcher(b => b.WithOriginRegex(@"https://([a-z])\1\.example\.com").AllowBacktrackingOriginRegex());

        // Act
        var result = matcher.Matches(origin);

        // Assert
        Assert.Equal(expected, result);
    }

    [Theory]
    [InlineData("https://app.example.com", true)]
    [InlineData("https://app.example.com.evil.com", false)]
    public void Matches_RegexWithInlineFreeSpacingComment_StaysAnchored(string origin, bool expected)
    {
        // Arrange: in (?x) mode '#' starts a comment that runs to the end of the line; it must not swallow the anchors.
        var matcher = Matcher(b => b.WithOriginRegex(@"(?x) https://app\.example\.com   # the SPA"));

        // Act
        var result = matcher.Matches(origin);

        // Assert
        Assert.Equal(expected, result);
    }

    [Theory]
    [InlineData("https://x.example.com", true)]
    [InlineData("https://ab.example.com", false)]
    public void Matches_SeveralRegexEntries_FreeSpacingDoesNotLeakIntoTheNextEntry(string origin, bool expected)
    {
        // Arrange: with free-spacing leaking, "https://a b\.example\.com" would become "https://ab\.example\.com".
        var matcher = Matcher(b => b.WithOriginRegex(@"https://x\.example\.com", @"https://a b\.example\.com"));

        // Act
        var result = matcher.Matches(origin);

        // Assert
        Assert.Equal(expected, result);
    }

    [Theory]
    [InlineData("HTTPS://APP.EXAMPLE.COM")]
    [InlineData("https://app.example.com/")]
    [InlineData("https://app.example.com:443")]
    [InlineData("https://app.example.com, https://evil.com")]
    public void Matches_RegexMatchingEverySpelling_NeverSeesMalformedOrigins(string origin)
    {
        // Arrange: the pattern accepts every spelling that starts like the app's origin; none reaches it.
        var matcher = Matcher(b => b.WithOriginRegex(@"(?i)https://app\.example\.com(/|:443|, https://evil\.com)?"));

        // Act
        var result = matcher.Matches(origin);

        // Assert
        Assert.False(result);
    }

    [Fact]
    public void Matches_Predicate_CalledOnlyWithShapeValidOrigins()
    {
        // Arrange
        var calls = new List<string>();
        var matcher = Matcher(b => b
            .WithOrigins("https://listed.example.com")
            .WithOriginPredicate(o => { calls.Add(o); return o.EndsWith(".example.net", StringComparison.Ordinal); }));
        string[] origins =
        [
            "https://listed.example.com",      // exact hit: no call
            "null",                            // opaque: never passed
            "HTTPS://A.EXAMPLE.NET",           // upper case
            "https://a.example.net/",          // path
            "https://a.example.net:443",       // default port
            "https://a.example.net, https://b.example.net",
            "https://a.example.net",
            "https://evil.com",
        ];

        // Act
        var results = origins.Select(matcher.Matches).ToArray();

        // Assert
        Assert.Equal([true, false, false, false, false, false, true, false], results);
        Assert.Equal(["https://a.example.net", "https://evil.com"], calls);
    }

    [Fact]
    public void Matches_PredicateThrows_ExceptionPropagates()
    {
        // Arrange
        var boom = new InvalidOperationException("directory unavailable");
        var matcher = Matcher(b => b.WithOriginPredicate(_ => throw boom));

        // Act
        var ex = Assert.Throws<InvalidOperationException>(() => matcher.Matches("https://app.example.com"));

        // Assert
        Assert.Same(boom, ex);
    }

    [Fact]
    public void Matches_WildcardMatches_PredicateNotCalled()
    {
        // Arrange
        var calls = 0;
        var matcher = Matcher(b => b.WithOrigins("https://*.example.com").SetIsOriginAllowedToAllowWildcardSubdomains().WithOriginPredicate(_ => { calls++; return false; }));

        // Act
        var result = matcher.Matches("https://a.example.com");

        // Assert
        Assert.True(result);
        Assert.Equal(0, calls);
    }

    [Fact]
    public void Constructor_DirectEntries_ExposesWhatItWasGiven()
    {
        // Arrange
        var wildcard = WildcardOrigin.TryParse("https://*.example.org", out _)!;

        // Act
        var matcher = new OriginMatcher(["https://app.example.com"], allowNull: true, [wildcard], regexes: null, predicate: null);

        // Assert
        Assert.Equal(["https://app.example.com"], matcher.ExactOrigins);
        Assert.Equal(["https://*.example.org"], matcher.WildcardPatterns);
        Assert.True(matcher.AllowsNull);
        Assert.True(matcher.HasPatterns);
        Assert.True(matcher.Matches("https://x.example.org"));
        Assert.True(matcher.Matches("null"));
        Assert.False(matcher.Matches("https://example.org"));
    }

    private static OriginMatcher Matcher(Func<CorsPolicyBuilder, CorsPolicyBuilder> configure) =>
        configure(new CorsPolicyBuilder("test")).Build().Origins;
}

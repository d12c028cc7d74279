using CorsKit.Origins;

namespace CorsKit.Tests.Origins;

public sealed class RegexDotsTests
{
    [Theory]
    [InlineData("https://app.example.com", new[] { 11, 19 })]
    [InlineData(@"https://app\.example.com", new[] { 20 })]
    [InlineData(@"https://(www|api).example\.com", new[] { 17 })]
    [InlineData(@"https://[a-z]+.example\.com", new[] { 14 })]
    [InlineData(@"https://.\.example\.com", new[] { 8 })]
    public void FindLoneDots_UnescapedDotMatchingOneCharacter_Found(string pattern, int[] expected)
    {
        // Act
        var dots = RegexDots.FindLoneDots(pattern);

        // Assert
        Assert.Equal(expected, dots);
    }

    [Theory]
    [InlineData(@"https://app\.example\.com")]
    [InlineData(@"https://.*\.example\.com")]           // quantified: left to the probes
    [InlineData(@"https://.+\.example\.com")]
    [InlineData(@"https://.{1,20}\.example\.com")]
    [InlineData(@"https://app.?\.example\.com")]
    [InlineData(@"https://[a-z.]+\.example\.com")]      // a dot in a class is a literal dot
    [InlineData(@"https://[^.]+\.example\.com")]
    [InlineData(@"https://[]a.]+\.example\.com")]       // ']' first in a class is a literal
    [InlineData(@"https://[a-z-[.]]+\.example\.com")]   // class subtraction
    [InlineData(@"https://app\.example\.com(?#the app.)")]
    [InlineData("(?x) https://app\\.example\\.com   # the app.")]
    [InlineData("(?x) https://. *\\.example\\.com")]   // free-spacing: ". *" is ".*"
    public void FindLoneDots_EscapedQuantifiedOrNotADot_NoneFound(string pattern)
    {
        // Act
        var dots = RegexDots.FindLoneDots(pattern);

        // Assert
        Assert.Empty(dots);
    }

    [Fact]
    public void FindLoneDots_CommentWithoutFreeSpacing_DotCounts()
    {
        // Act: without (?x), '#' is a literal and what follows is pattern.
        var dots = RegexDots.FindLoneDots(@"https://app\.example\.com#a.b");

        // Assert
        Assert.Equal([27], dots);
    }

    [Fact]
    public void FindLoneDots_FreeSpacingSwitchedOff_DotAfterHashCounts()
    {
        // Act
        var dots = RegexDots.FindLoneDots(@"(?x)https://app\.example\.com(?-x)#a.b");

        // Assert
        Assert.Equal([36], dots);
    }

    [Theory]
    [InlineData("https://app.example.com", 11, "app.example")]
    [InlineData(@"https://(www|api).example\.com", 17, ".example")]
    public void Context_Dot_HostCharactersAround(string pattern, int dot, string expected)
    {
        // Act
        var context = RegexDots.Context(pattern, dot);

        // Assert
        Assert.Equal(expected, context);
    }

    [Fact]
    public void Escape_Dots_BackslashBeforeEach()
    {
        // Act
        var escaped = RegexDots.Escape("https://app.example.com", [11, 19]);

        // Assert
        Assert.Equal(@"https://app\.example\.com", escaped);
    }
}

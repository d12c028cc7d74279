using CorsKit.Http;

namespace CorsKit.Tests.Http;

public sealed class HttpSyntaxTests
{
    [Theory]
    [InlineData("GET")]
    [InlineData("x-api-key")]
    [InlineData("!#$%&'*+-.^_`|~")]
    [InlineData("0")]
    public void IsToken_OnlyTokenCharacters_ReturnsTrue(string value)
    {
        // Act
        var result = HttpSyntax.IsToken(value);

        // Assert
        Assert.True(result);
    }

    [Theory]
    [InlineData("")]
    [InlineData("GET POST")]
    [InlineData("a,b")]
    [InlineData("x:y")]
    [InlineData("\"quoted\"")]
    [InlineData("(comment)")]
    [InlineData("a/b")]
    [InlineData("a\tb")]
    [InlineData("ü")]
    [InlineData("a\u007f")]
    public void IsToken_SeparatorControlOrNonAscii_ReturnsFalse(string value)
    {
        // Act
        var result = HttpSyntax.IsToken(value);

        // Assert
        Assert.False(result);
    }

    [Theory]
    [InlineData(" \tx-a \t", "x-a")]
    [InlineData("x a", "x a")]
    [InlineData("   ", "")]
    public void TrimOws_SpacesAndTabs_TrimmedFromBothEndsOnly(string value, string expected)
    {
        // Act
        var result = HttpSyntax.TrimOws(value).ToString();

        // Assert
        Assert.Equal(expected, result);
    }
}

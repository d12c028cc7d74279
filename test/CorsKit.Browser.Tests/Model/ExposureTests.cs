namespace CorsKit.Browser.Tests.Model;

public sealed class ExposureTests
{
    private static readonly ResponseHeaders AllKinds = ResponseHeaders.Of(
        ("Access-Control-Allow-Origin", Scenario.Page),
        ("Cache-Control", "no-store"),
        ("Content-Language", "en"),
        ("Content-Length", "4"),
        ("Content-Type", "text/plain"),
        ("Expires", "0"),
        ("Last-Modified", "x"),
        ("Pragma", "no-cache"),
        ("Date", "x"),
        ("Set-Cookie", "a=b"),
        ("X-Custom", "1"),
        ("X-Other", "2"));

    [Fact]
    public void ReadableHeaderNames_NoExposeHeaders_ReturnsTheSafelistedOnes()
    {
        // Act
        var names = Exposure.ReadableHeaderNames(AllKinds, CredentialsMode.SameOrigin);

        // Assert
        Assert.Equal(["cache-control", "content-language", "content-length", "content-type", "expires", "last-modified", "pragma"], names);
    }

    [Fact]
    public void ReadableHeaderNames_ExposedNames_AddsThemButNeverSetCookie()
    {
        // Arrange
        var headers = new ResponseHeaders([.. AllKinds.Fields, new("Access-Control-Expose-Headers", "X-CUSTOM, set-cookie, content-encoding")]);

        // Act
        var names = Exposure.ReadableHeaderNames(headers, CredentialsMode.SameOrigin);

        // Assert
        Assert.Equal(["cache-control", "content-language", "content-length", "content-type", "expires", "last-modified", "pragma", "x-custom"], names);
    }

    [Fact]
    public void ReadableHeaderNames_WildcardWithoutCredentials_ExposesAllButSetCookie()
    {
        // Arrange
        var headers = new ResponseHeaders([.. AllKinds.Fields, new("Access-Control-Expose-Headers", "*")]);

        // Act
        var names = Exposure.ReadableHeaderNames(headers, CredentialsMode.SameOrigin);

        // Assert
        Assert.Equal(
            [
                "access-control-allow-origin", "access-control-expose-headers", "cache-control", "content-language", "content-length",
                "content-type", "date", "expires", "last-modified", "pragma", "x-custom", "x-other",
            ],
            names);
    }

    [Fact]
    public void ReadableHeaderNames_WildcardWithCredentials_IsLiteral()
    {
        // Arrange
        var headers = ResponseHeaders.Of(
            ("Access-Control-Allow-Origin", Scenario.Page),
            ("Access-Control-Allow-Credentials", "true"),
            ("Content-Length", "4"),
            ("X-Custom", "1"),
            ("Access-Control-Expose-Headers", "*"));

        // Act
        var names = Exposure.ReadableHeaderNames(headers, CredentialsMode.Include);

        // Assert
        Assert.Equal(["content-length"], names);
    }

    [Fact]
    public void ReadableHeaderNames_WildcardAndNameWithCredentials_ExposesTheName()
    {
        // Arrange
        var headers = ResponseHeaders.Of(("Content-Length", "4"), ("X-Custom", "1"), ("X-Other", "2"), ("Access-Control-Expose-Headers", "*, x-custom"));

        // Act
        var names = Exposure.ReadableHeaderNames(headers, CredentialsMode.Include);

        // Assert
        Assert.Equal(["content-length", "x-custom"], names);
    }

    [Theory]
    [InlineData("Cache-Control", true)]
    [InlineData("content-language", true)]
    [InlineData("Content-Length", true)]
    [InlineData("Content-Type", true)]
    [InlineData("Expires", true)]
    [InlineData("Last-Modified", true)]
    [InlineData("Pragma", true)]
    [InlineData("Date", false)]
    [InlineData("ETag", false)]
    public void IsSafelistedResponseHeaderName_Name_MatchesTheSevenNames(string name, bool expected)
    {
        // Act
        var safelisted = Exposure.IsSafelistedResponseHeaderName(name);

        // Assert
        Assert.Equal(expected, safelisted);
    }
}

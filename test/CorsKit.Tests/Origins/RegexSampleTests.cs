using CorsKit.Origins;

namespace CorsKit.Tests.Origins;

public sealed class RegexSampleTests
{
    [Theory]
    [InlineData(@"https://app\.example\.com", "https://app.example.com", "https://app.example.com")]
    [InlineData(@"https://app\.example\.com.*", "https://app.example.com", "https://app.example.coma")]
    [InlineData(@"https://(www|api)\.example\.com", "https://www.example.com", "https://www.example.com")]
    [InlineData(@"https://(?:www\.)?example\.com(:[0-9]+)?", "https://example.com", "https://www.example.com:0")]
    [InlineData(@"https?://tenant-\d+\.example\.com", "http://tenant-0.example.com", "https://tenant-0.example.com")]
    [InlineData(@"https://[a-z]+\.example\.com", "https://a.example.com", "https://a.example.com")]
    [InlineData(@"^https://app\.example\.com$", "https://app.example.com", "https://app.example.com")]
    [InlineData(@"(?i)HTTPS://App\.Example\.com", "HTTPS://App.Example.com", "HTTPS://App.Example.com")]
    [InlineData(@"https://app\.example\.com|https://b\.example\.com", "https://app.example.com", "https://app.example.com")]
    [InlineData(@"https://.*example\.com", "https://example.com", "https://aexample.com")]
    public void Of_Pattern_FollowsTheFirstBranch(string pattern, string minimal, string once)
    {
        // Act
        var shortest = RegexSample.Of(pattern, minimal: true);
        var each = RegexSample.Of(pattern, minimal: false);

        // Assert
        Assert.Equal(minimal, shortest);
        Assert.Equal(once, each);
    }

    [Theory]
    [InlineData(@"(?x) https://app\.example\.com")]
    [InlineData(@"https://([a-z])\1\.example\.com")]
    [InlineData(@"https://(?<c>[a-z])\k<c>\.example\.com")]
    [InlineData(@"https://(?(a)a|b)\.example\.com")]
    public void Of_PatternBeyondTheReader_Null(string pattern)
    {
        // Act
        var sample = RegexSample.Of(pattern, minimal: true);

        // Assert
        Assert.Null(sample);
    }
}

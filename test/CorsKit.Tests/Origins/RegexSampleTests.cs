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
    [InlineData(@"https://app[^a-z]example\.com", "https://app.example.com", "https://app.example.com")]
    [InlineData(@"https://[^/]+\.example\.com", "https://a.example.com", "https://a.example.com")]
    [InlineData(@"https://app\.example\.\w{2,}", "https://app.example.aa", "https://app.example.aa")]
    [InlineData(@"https://app\.example\.(com){0,3}", "https://app.example.", "https://app.example.com")]
    public void Of_Pattern_FollowsTheFirstBranch(string pattern, string minimal, string once)
    {
        // Act
        var shortest = RegexSample.Of(pattern, minimal: true);
        var each = RegexSample.Of(pattern, minimal: false);

        // Assert
        Assert.Equal(minimal, shortest);
        Assert.Equal(once, each);
    }

    [Fact]
    public void Read_ClassAndEscape_NamedForTheCharactersTheyChose()
    {
        // Act
        var sample = RegexSample.Read(@"https://app[.-]example\W\d", minimal: true);

        // Assert: literals have no source; "[.-]", "\W" and "\d" each chose one character.
        Assert.NotNull(sample);
        Assert.Equal("https://app.example-0", sample.Text);
        Assert.Equal(sample.Text.Length, sample.Classes.Count);
        Assert.All(sample.Classes.Take(11), source => Assert.Null(source));
        Assert.Equal(11..15, sample.Classes[11]);
        Assert.Equal(22..24, sample.Classes[19]);
        Assert.Equal(24..26, sample.Classes[20]);
    }

    [Fact]
    public void Read_QuantifiedClass_NamedWithItsQuantifier()
    {
        // Act
        var sample = RegexSample.Read(@"https://app[a-z.]{2,}?x(\w)+", minimal: false);

        // Assert: "(\w)+" is a group, so "\w" alone is named.
        Assert.NotNull(sample);
        Assert.Equal("https://appaaxa", sample.Text);
        Assert.Equal(11..22, sample.Classes[11]);
        Assert.Equal(11..22, sample.Classes[12]);
        Assert.Null(sample.Classes[13]);
        Assert.Equal(24..26, sample.Classes[14]);
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

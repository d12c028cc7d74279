using CorsKit.Policies;

namespace CorsKit.Tests.Policies;

public sealed class CorsPolicyTests
{
    [Fact]
    public void MethodSet_ListedMethods_ComparedCaseSensitively()
    {
        // Arrange
        var policy = new CorsPolicyBuilder("api").WithOrigins("https://app.example.com").WithMethods("patch", "PUT").Build();

        // Act
        IReadOnlySet<string> set = policy.MethodSet;

        // Assert
        Assert.Contains("patch", set);
        Assert.Contains("PUT", set);
        Assert.DoesNotContain("PATCH", set);
        Assert.DoesNotContain("put", set);
    }

    [Fact]
    public void HeaderLookup_ListedHeaders_ComparedIgnoringCase()
    {
        // Arrange
        var policy = new CorsPolicyBuilder("api").WithOrigins("https://app.example.com").WithHeaders("X-Api-Key").Build();

        // Act
        var lookup = policy.HeaderLookup;

        // Assert
        Assert.True(lookup.Contains("x-api-key".AsSpan()));
        Assert.True(lookup.Contains("X-API-KEY".AsSpan()));
        Assert.False(lookup.Contains("x-api-keys".AsSpan()));
        Assert.Contains("X-Api-Key", (IReadOnlySet<string>)policy.HeaderSet);
    }

    [Theory]
    [InlineData(false, false, true)]
    [InlineData(false, true, true)]
    [InlineData(true, false, false)]
    public void VariesByOrigin_DependsOnWhetherTheAnswerEchoesTheOrigin(bool anyOrigin, bool credentials, bool expected)
    {
        // Arrange
        var builder = new CorsPolicyBuilder("api");
        builder = anyOrigin ? builder.AllowAnyOrigin() : builder.WithOrigins("https://app.example.com");
        if (credentials)
        {
            builder.AllowCredentials();
        }

        // Act
        var policy = builder.Build();

        // Assert
        Assert.Equal(expected, policy.VariesByOrigin);
    }

    [Fact]
    public void DescribeOrigins_AnyOrigin_IsStar()
    {
        // Arrange
        var policy = new CorsPolicyBuilder("public").AllowAnyOrigin().Build();

        // Act
        var description = policy.DescribeOrigins();

        // Assert
        Assert.Equal("*", description);
    }

    [Fact]
    public void DescribeOrigins_OneExactOrigin_IsThatOrigin()
    {
        // Arrange
        var policy = new CorsPolicyBuilder("spa").WithOrigins("https://App.Example.com").Build();

        // Act
        var description = policy.DescribeOrigins();

        // Assert
        Assert.Equal("https://app.example.com", description);
    }

    [Fact]
    public void DescribeOrigins_ExactWildcardAndNull_ListsThemAndMarksPatterns()
    {
        // Arrange
        var policy = new CorsPolicyBuilder("spa").WithOrigins("https://app.example.com", "https://*.example.org", "null").SetIsOriginAllowedToAllowWildcardSubdomains().Build();

        // Act
        var description = policy.DescribeOrigins();

        // Assert
        Assert.Equal("https://app.example.com, https://*.example.org, null, ...", description);
    }

    [Fact]
    public void DescribeOrigins_RegexOnly_SaysPatternsOnly()
    {
        // Arrange
        var policy = new CorsPolicyBuilder("spa").WithOriginRegex(@"https://app-[0-9]+\.example\.com").Build();

        // Act
        var description = policy.DescribeOrigins();

        // Assert
        Assert.Equal("(patterns only)", description);
    }

    [Fact]
    public void DescribeOrigins_MoreThanFiveExactOrigins_ShowsFiveAndAnEllipsis()
    {
        // Arrange
        string[] origins = ["https://a.example.com", "https://b.example.com", "https://c.example.com", "https://d.example.com", "https://e.example.com", "https://f.example.com"];
        var policy = new CorsPolicyBuilder("spa").WithOrigins(origins).Build();

        // Act
        var description = policy.DescribeOrigins();

        // Assert: which five is up to the frozen set's order.
        Assert.EndsWith(", ...", description, StringComparison.Ordinal);
        var shown = description[..^", ...".Length].Split(", ");
        Assert.Equal(5, shown.Length);
        Assert.Equal(5, shown.Distinct(StringComparer.Ordinal).Count());
        Assert.All(shown, o => Assert.Contains(o, origins));
    }
}

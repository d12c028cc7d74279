namespace CorsKit.Browser.Tests.Model;

public sealed class PreflightCacheDurationTests
{
    [Theory]
    [InlineData(null, 5)]
    [InlineData("", 5)]
    [InlineData("abc", 5)]
    [InlineData("1.5", 5)]
    [InlineData("10, 20", 5)]
    [InlineData("99999999999999999999", 5)]
    [InlineData("0", 0)]
    [InlineData("-1", 0)]
    [InlineData("+10", 10)]
    [InlineData("600", 600)]
    [InlineData("7200", 7200)]
    [InlineData("7201", 7200)]
    [InlineData("86400", 7200)]
    public void Chromium_MaxAge_DefaultsTo5CapsAt7200AndTreatsNegativeAsZero(string? maxAge, int seconds)
    {
        // Act
        var duration = PreflightCacheDuration.Chromium(maxAge);

        // Assert
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Theory]
    [InlineData(null, 5)]
    [InlineData("", 5)]
    [InlineData("abc", 0)]
    [InlineData("+10", 0)]
    [InlineData("-1", 0)]
    [InlineData("1.5", 0)]
    [InlineData("0", 0)]
    [InlineData("600", 600)]
    [InlineData("86400", 86400)]
    [InlineData("86401", 86400)]
    [InlineData("99999999999999999999", 86400)]
    public void Firefox_MaxAge_DefaultsTo5CapsAt86400AndCachesNoZeroOrNonDigits(string? maxAge, int seconds)
    {
        // Act
        var duration = PreflightCacheDuration.Firefox(maxAge);

        // Assert
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Theory]
    [InlineData(null, 5)]
    [InlineData("", 5)]
    [InlineData("abc", 5)]
    [InlineData("soon", 5)]
    [InlineData("5.5", 5)]
    [InlineData("60s", 5)]
    [InlineData("9223372036854775808", 5)]
    [InlineData("-9223372036854775809", 5)]
    [InlineData("-5", 0)]
    [InlineData("-1", 0)]
    [InlineData("-0", 0)]
    [InlineData("-9223372036854775808", 0)]
    [InlineData("0", 0)]
    [InlineData("+5", 5)]
    [InlineData(" 60 ", 60)]
    [InlineData("60", 60)]
    [InlineData("600", 600)]
    [InlineData("601", 600)]
    [InlineData("7200", 600)]
    [InlineData("9223372036854775807", 600)]
    public void WebKit_MaxAge_DefaultsTo5CachesNoNegativeAndCapsAt600(string? maxAge, int seconds)
    {
        // Act
        var duration = PreflightCacheDuration.WebKit(maxAge);

        // Assert
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Fact]
    public void PreflightCacheDurationsFor_OneDay_CapsEachEngineDifferently()
    {
        // Act
        var durations = PreflightCacheDurations.For("86400");

        // Assert
        Assert.Equal(new PreflightCacheDurations(TimeSpan.FromHours(2), TimeSpan.FromHours(24), TimeSpan.FromMinutes(10)), durations);
    }
}

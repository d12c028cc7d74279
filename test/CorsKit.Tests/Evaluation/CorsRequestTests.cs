using CorsKit.Evaluation;

namespace CorsKit.Tests.Evaluation;

public sealed class CorsRequestTests
{
    [Theory]
    [InlineData("OPTIONS", "https://app.example.com", "PUT", true)]
    [InlineData("options", "https://app.example.com", "PUT", true)]
    [InlineData("OPTIONS", "https://app.example.com", "", true)]
    [InlineData("OPTIONS", "https://app.example.com", null, false)]
    [InlineData("OPTIONS", null, "PUT", false)]
    [InlineData("PUT", "https://app.example.com", "PUT", false)]
    [InlineData("GET", "https://app.example.com", null, false)]
    public void IsPreflight_MethodOriginAndRequestMethod_TrueOnlyForOptionsWithBoth(string method, string? origin, string? requestMethod, bool expected)
    {
        // Arrange
        var request = new CorsRequest(method, origin, requestMethod);

        // Act
        var result = request.IsPreflight;

        // Assert
        Assert.Equal(expected, result);
    }

    [Fact]
    public void Constructor_OptionalFacts_DefaultToAbsent()
    {
        // Act
        var request = new CorsRequest("GET", "https://app.example.com");

        // Assert
        Assert.Null(request.AccessControlRequestMethod);
        Assert.Null(request.AccessControlRequestHeaders);
        Assert.False(request.RequestsPrivateNetwork);
    }
}

namespace CorsKit.Browser.Tests.Model;

public sealed class CorsCheckTests
{
    private const string Origin = Scenario.Page;

    [Theory]
    [InlineData(CredentialsMode.Omit)]
    [InlineData(CredentialsMode.SameOrigin)]
    public void Run_WildcardWithoutCredentials_Passes(CredentialsMode credentials)
    {
        // Arrange
        var headers = ResponseHeaders.Of(("Access-Control-Allow-Origin", "*"));

        // Act
        var result = CorsCheck.Run(headers, Origin, credentials);

        // Assert
        Assert.Equal(CorsCheckResult.Pass, result);
    }

    [Fact]
    public void Run_WildcardWithCredentials_FailsBeforeLookingAtAllowCredentials()
    {
        // Arrange
        var headers = ResponseHeaders.Of(("Access-Control-Allow-Origin", "*"), ("Access-Control-Allow-Credentials", "true"));

        // Act
        var result = CorsCheck.Run(headers, Origin, CredentialsMode.Include);

        // Assert
        Assert.Equal(new CorsCheckResult(CorsFailure.WildcardOriginWithCredentials, "*"), result);
    }

    [Fact]
    public void Run_NoAllowOrigin_FailsMissing()
    {
        // Arrange
        var headers = ResponseHeaders.Of(("Access-Control-Allow-Credentials", "true"));

        // Act
        var result = CorsCheck.Run(headers, Origin, CredentialsMode.Include);

        // Assert
        Assert.Equal(new CorsCheckResult(CorsFailure.MissingAllowOrigin), result);
    }

    [Fact]
    public void Run_TwoIdenticalAllowOriginLines_FailsMultipleWithTheJoinedValue()
    {
        // Arrange
        var headers = ResponseHeaders.Of(("Access-Control-Allow-Origin", Origin), ("access-control-allow-origin", Origin));

        // Act
        var result = CorsCheck.Run(headers, Origin, CredentialsMode.SameOrigin);

        // Assert
        Assert.Equal(new CorsCheckResult(CorsFailure.MultipleAllowOriginValues, "http://127.0.0.1:8001, http://127.0.0.1:8001"), result);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8001 http://a.example", CorsFailure.MultipleAllowOriginValues)]
    [InlineData("*, *", CorsFailure.MultipleAllowOriginValues)]
    [InlineData("null", CorsFailure.AllowOriginMismatch)]
    [InlineData("invalid", CorsFailure.InvalidAllowOrigin)]
    [InlineData("", CorsFailure.InvalidAllowOrigin)]
    [InlineData("http://", CorsFailure.InvalidAllowOrigin)]
    [InlineData("http://127.0.0.1:8001/", CorsFailure.AllowOriginMismatch)]
    [InlineData("HTTP://127.0.0.1:8001", CorsFailure.AllowOriginMismatch)]
    [InlineData("https://other.example", CorsFailure.AllowOriginMismatch)]
    public void Run_ValueOtherThanTheOrigin_FailsWithChromiumsReason(string value, CorsFailure expected)
    {
        // Arrange
        var headers = ResponseHeaders.Of(("Access-Control-Allow-Origin", value));

        // Act
        var result = CorsCheck.Run(headers, Origin, CredentialsMode.SameOrigin);

        // Assert
        Assert.Equal(new CorsCheckResult(expected, value), result);
    }

    [Theory]
    [InlineData("  http://127.0.0.1:8001  ")]
    [InlineData("http://127.0.0.1:8001\t")]
    public void Run_OriginWithSurroundingWhitespace_Passes(string value)
    {
        // Arrange
        var headers = ResponseHeaders.Of(("Access-Control-Allow-Origin", value));

        // Act
        var result = CorsCheck.Run(headers, Origin, CredentialsMode.SameOrigin);

        // Assert
        Assert.Equal(CorsCheckResult.Pass, result);
    }

    [Fact]
    public void Run_NullAgainstOpaqueOrigin_Passes()
    {
        // Arrange
        var headers = ResponseHeaders.Of(("Access-Control-Allow-Origin", "null"));

        // Act
        var result = CorsCheck.Run(headers, "null", CredentialsMode.SameOrigin);

        // Assert
        Assert.Equal(CorsCheckResult.Pass, result);
    }

    [Theory]
    [InlineData("True")]
    [InlineData("TRUE")]
    [InlineData("1")]
    [InlineData("true, true")]
    public void Run_CredentialsWithAllowCredentialsNotExactlyTrue_Fails(string value)
    {
        // Arrange
        var headers = ResponseHeaders.Of(("Access-Control-Allow-Origin", Origin), ("Access-Control-Allow-Credentials", value));

        // Act
        var result = CorsCheck.Run(headers, Origin, CredentialsMode.Include);

        // Assert
        Assert.Equal(new CorsCheckResult(CorsFailure.InvalidAllowCredentials, value), result);
    }

    [Fact]
    public void Run_CredentialsWithoutAllowCredentials_FailsWithAnEmptyValue()
    {
        // Arrange
        var headers = ResponseHeaders.Of(("Access-Control-Allow-Origin", Origin));

        // Act
        var result = CorsCheck.Run(headers, Origin, CredentialsMode.Include);

        // Assert
        Assert.Equal(new CorsCheckResult(CorsFailure.InvalidAllowCredentials, string.Empty), result);
    }

    [Fact]
    public void Run_CredentialsWithOriginAndTrue_Passes()
    {
        // Arrange
        var headers = ResponseHeaders.Of(("Access-Control-Allow-Origin", Origin), ("Access-Control-Allow-Credentials", "true"));

        // Act
        var result = CorsCheck.Run(headers, Origin, CredentialsMode.Include);

        // Assert
        Assert.Equal(CorsCheckResult.Pass, result);
    }

    [Fact]
    public void Run_WithoutCredentials_IgnoresAllowCredentials()
    {
        // Arrange
        var headers = ResponseHeaders.Of(("Access-Control-Allow-Origin", Origin), ("Access-Control-Allow-Credentials", "True"));

        // Act
        var result = CorsCheck.Run(headers, Origin, CredentialsMode.SameOrigin);

        // Assert
        Assert.Equal(CorsCheckResult.Pass, result);
    }

    [Fact]
    public void Run_OnPreflight_MarksTheFailure()
    {
        // Act
        var result = CorsCheck.Run(ResponseHeaders.Empty, Origin, CredentialsMode.SameOrigin, onPreflight: true);

        // Assert
        Assert.Equal(new CorsCheckResult(CorsFailure.MissingAllowOrigin, null, OnPreflight: true), result);
    }
}

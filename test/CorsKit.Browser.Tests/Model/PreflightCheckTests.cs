namespace CorsKit.Browser.Tests.Model;

public sealed class PreflightCheckTests
{
    private static PreflightPlan Plan(string method, CredentialsMode credentials = CredentialsMode.SameOrigin, params (string Name, string Value)[] headers) =>
        PreflightPlan.For(Scenario.Request("/api/x", method, headers) with { Credentials = credentials });

    [Fact]
    public void Run_ServerErrorWithoutAllowOrigin_ReportsTheMissingHeaderNotTheStatus()
    {
        // Act
        var result = PreflightCheck.Run(Plan("PUT"), Scenario.Response(500));

        // Assert
        Assert.Equal(new CorsCheckResult(CorsFailure.MissingAllowOrigin, null, OnPreflight: true), result.Result);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(404)]
    [InlineData(304)]
    [InlineData(302)]
    public void Run_NotOkStatusWithAllowOrigin_FailsInvalidStatus(int status)
    {
        // Arrange: a 302 without Location is no redirect, just a status that is not ok.
        var response = Scenario.Response(status, ("Access-Control-Allow-Origin", Scenario.Page), ("Access-Control-Allow-Methods", "PUT"));

        // Act
        var result = PreflightCheck.Run(Plan("PUT"), response);

        // Assert
        Assert.Equal(new CorsCheckResult(CorsFailure.PreflightInvalidStatus, null, OnPreflight: true), result.Result);
    }

    [Theory]
    [InlineData(301)]
    [InlineData(302)]
    [InlineData(303)]
    [InlineData(307)]
    [InlineData(308)]
    public void Run_RedirectEvenWithoutAllowOrigin_FailsRedirect(int status)
    {
        // Arrange
        var response = Scenario.Response(status, ("Location", Scenario.Api + "/elsewhere"));

        // Act
        var result = PreflightCheck.Run(Plan("PUT"), response);

        // Assert
        Assert.Equal(new CorsCheckResult(CorsFailure.PreflightRedirect, null, OnPreflight: true), result.Result);
    }

    [Fact]
    public void Run_AllowMethodsWithSpaceSeparatedList_FailsToParse()
    {
        // Arrange
        var response = Scenario.Allow(("Access-Control-Allow-Methods", "GET POST"));

        // Act
        var result = PreflightCheck.Run(Plan("PUT"), response);

        // Assert
        Assert.Equal(new CorsCheckResult(CorsFailure.InvalidAllowMethodsPreflightResponse, null, OnPreflight: true), result.Result);
        Assert.Empty(result.AllowedMethods);
    }

    [Fact]
    public void Run_BothListsUnparsable_ReportsMethodsFirst()
    {
        // Arrange
        var response = Scenario.Allow(("Access-Control-Allow-Methods", "GET POST"), ("Access-Control-Allow-Headers", "x a"));

        // Act
        var result = PreflightCheck.Run(Plan("PUT", CredentialsMode.SameOrigin, ("X-Token", "1")), response);

        // Assert
        Assert.Equal(CorsFailure.InvalidAllowMethodsPreflightResponse, result.Result.Failure);
    }

    [Fact]
    public void Run_MethodNotListedAndHeadersUnparsable_ReportsTheParseFailure()
    {
        // Arrange: Chromium parses both lists before it checks the method (checked in Chromium 156).
        var response = Scenario.Allow(("Access-Control-Allow-Methods", "GET"), ("Access-Control-Allow-Headers", "x a"));

        // Act
        var result = PreflightCheck.Run(Plan("PUT", CredentialsMode.SameOrigin, ("x-a", "1")), response);

        // Assert
        Assert.Equal(new CorsCheckResult(CorsFailure.InvalidAllowHeadersPreflightResponse, null, OnPreflight: true), result.Result);
    }

    [Fact]
    public void Run_ListWithEmptyElementsAndSpaces_Parses()
    {
        // Arrange
        var response = Scenario.Allow(("Access-Control-Allow-Methods", "GET,, PUT ,"));

        // Act
        var result = PreflightCheck.Run(Plan("PUT"), response);

        // Assert
        Assert.True(result.Passed);
        Assert.Equal(["GET", "PUT"], result.AllowedMethods);
    }

    [Fact]
    public void Run_TwoAllowMethodsLines_AreJoined()
    {
        // Arrange
        var response = Scenario.Allow(("Access-Control-Allow-Methods", "GET"), ("Access-Control-Allow-Methods", "PUT"));

        // Act
        var result = PreflightCheck.Run(Plan("PUT"), response);

        // Assert
        Assert.True(result.Passed);
        Assert.Equal(["GET", "PUT"], result.AllowedMethods);
    }

    [Theory]
    [InlineData("patch", "PATCH", false)]
    [InlineData("patch", "patch", true)]
    [InlineData("PATCH", "patch", false)]
    [InlineData("PATCH", "PATCH", true)]
    [InlineData("PUT", "GET, POST", false)]
    [InlineData("PUT", "*", true)]
    [InlineData("POST", "", true)]
    public void Run_Method_ComparesCaseSensitively(string method, string allowMethods, bool passes)
    {
        // Arrange
        var response = Scenario.Allow(("Access-Control-Allow-Methods", allowMethods));

        // Act
        var result = PreflightCheck.Run(Plan(method), response);

        // Assert
        Assert.Equal(passes ? CorsCheckResult.Pass : new CorsCheckResult(CorsFailure.MethodDisallowedByPreflightResponse, method, OnPreflight: true), result.Result);
    }

    [Fact]
    public void Run_WildcardMethodWithCredentials_IsLiteral()
    {
        // Arrange
        var response = Scenario.Allow(("Access-Control-Allow-Credentials", "true"), ("Access-Control-Allow-Methods", "*"));

        // Act
        var result = PreflightCheck.Run(Plan("PUT", CredentialsMode.Include), response);

        // Assert
        Assert.Equal(new CorsCheckResult(CorsFailure.MethodDisallowedByPreflightResponse, "PUT", OnPreflight: true), result.Result);
    }

    [Fact]
    public void Run_MethodAndHeaderBothRefused_ReportsTheMethod()
    {
        // Arrange
        var response = Scenario.Allow(("Access-Control-Allow-Methods", "GET"));

        // Act
        var result = PreflightCheck.Run(Plan("PUT", CredentialsMode.SameOrigin, ("x-a", "1")), response);

        // Assert
        Assert.Equal(CorsFailure.MethodDisallowedByPreflightResponse, result.Result.Failure);
    }

    [Fact]
    public void Run_HeaderListedInOtherCase_Passes()
    {
        // Arrange
        var response = Scenario.Allow(("Access-Control-Allow-Headers", "X-TOKEN, Content-Type"));

        // Act
        var result = PreflightCheck.Run(Plan("GET", CredentialsMode.SameOrigin, ("x-token", "1"), ("Content-Type", "application/json")), response);

        // Assert
        Assert.True(result.Passed);
        Assert.Equal(["x-token", "content-type"], result.AllowedHeaders);
    }

    [Fact]
    public void Run_HeadersNotListed_ReportsEveryOneAndNamesTheFirst()
    {
        // Arrange
        var response = Scenario.Allow(("Access-Control-Allow-Headers", "x-b"));

        // Act
        var result = PreflightCheck.Run(Plan("GET", CredentialsMode.SameOrigin, ("X-C", "1"), ("x-a", "1"), ("X-B", "1")), response);

        // Assert
        Assert.Equal(new CorsCheckResult(CorsFailure.HeaderDisallowedByPreflightResponse, "x-a", OnPreflight: true), result.Result);
        Assert.Equal(["x-a", "x-c"], result.DisallowedHeaders);
    }

    [Fact]
    public void Run_AuthorizationCoveredOnlyByWildcard_PassesWithTheFlagSet()
    {
        // Arrange
        var response = Scenario.Allow(("Access-Control-Allow-Headers", "*"));

        // Act
        var result = PreflightCheck.Run(Plan("GET", CredentialsMode.SameOrigin, ("Authorization", "Bearer x"), ("X-Token", "1")), response);

        // Assert
        Assert.True(result.Passed);
        Assert.True(result.AuthorizationCoveredByWildcard);
    }

    [Fact]
    public void Run_AuthorizationListedByName_PassesWithoutTheFlag()
    {
        // Arrange
        var response = Scenario.Allow(("Access-Control-Allow-Headers", "*, Authorization"));

        // Act
        var result = PreflightCheck.Run(Plan("GET", CredentialsMode.SameOrigin, ("Authorization", "Bearer x")), response);

        // Assert
        Assert.True(result.Passed);
        Assert.False(result.AuthorizationCoveredByWildcard);
    }

    [Fact]
    public void Run_WildcardHeaderWithCredentials_IsLiteral()
    {
        // Arrange
        var response = Scenario.Allow(("Access-Control-Allow-Credentials", "true"), ("Access-Control-Allow-Headers", "*"));

        // Act
        var result = PreflightCheck.Run(Plan("GET", CredentialsMode.Include, ("Authorization", "Bearer x")), response);

        // Assert
        Assert.Equal(new CorsCheckResult(CorsFailure.HeaderDisallowedByPreflightResponse, "authorization", OnPreflight: true), result.Result);
        Assert.False(result.AuthorizationCoveredByWildcard);
    }

    [Fact]
    public void Run_CredentialsWithoutAllowCredentialsOnPreflight_FailsTheCorsCheck()
    {
        // Arrange
        var response = Scenario.Allow(("Access-Control-Allow-Methods", "PUT"));

        // Act
        var result = PreflightCheck.Run(Plan("PUT", CredentialsMode.Include), response);

        // Assert
        Assert.Equal(new CorsCheckResult(CorsFailure.InvalidAllowCredentials, string.Empty, OnPreflight: true), result.Result);
    }

    [Fact]
    public void Run_PassingPreflight_KeepsMaxAge()
    {
        // Arrange
        var response = Scenario.Allow(("Access-Control-Allow-Methods", "PUT"), ("Access-Control-Max-Age", "600"));

        // Act
        var result = PreflightCheck.Run(Plan("PUT"), response);

        // Assert
        Assert.True(result.Passed);
        Assert.Equal("600", result.MaxAge);
    }
}

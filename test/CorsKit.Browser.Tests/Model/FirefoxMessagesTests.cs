namespace CorsKit.Browser.Tests.Model;

// Expected texts come from Gecko's security.properties; the browser matrix compares them with Firefox 153 ESR (docs/browser-engines.md).
public sealed class FirefoxMessagesTests
{
    private const string Blocked = "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at http://127.0.0.1:8002/api/x.";

    private const string NoResponse = Blocked + " (Reason: CORS request did not succeed). Status code: (null).";

    [Fact]
    public void Predict_MissingAllowOrigin_AddsTheStatusCode()
    {
        // Act
        var message = FirefoxMessages.Predict(Scenario.Request("/api/x"), null, Scenario.Response(500));

        // Assert
        Assert.Equal(Blocked + " (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 500.", message);
    }

    [Fact]
    public void Predict_TwoAllowOriginLines_IsMultiple()
    {
        // Arrange
        var actual = Scenario.Response(200, ("Access-Control-Allow-Origin", Scenario.Page), ("Access-Control-Allow-Origin", Scenario.Page));

        // Act
        var message = FirefoxMessages.Predict(Scenario.Request("/api/x"), null, actual);

        // Assert
        Assert.Equal(Blocked + " (Reason: Multiple CORS header ‘Access-Control-Allow-Origin’ not allowed).", message);
    }

    [Fact]
    public void Predict_OneLineWithTwoOrigins_IsAMismatch()
    {
        // Arrange
        var actual = Scenario.Response(200, ("Access-Control-Allow-Origin", "http://127.0.0.1:8001, https://a.example"));

        // Act
        var message = FirefoxMessages.Predict(Scenario.Request("/api/x"), null, actual);

        // Assert
        Assert.Equal(Blocked + " (Reason: CORS header ‘Access-Control-Allow-Origin’ does not match ‘http://127.0.0.1:8001, https://a.example’).", message);
    }

    [Fact]
    public void Predict_WildcardWithCredentials_QuotesTheUrl()
    {
        // Arrange
        var request = Scenario.Request("/api/x") with { Credentials = CredentialsMode.Include };

        // Act
        var message = FirefoxMessages.Predict(request, null, Scenario.Response(200, ("Access-Control-Allow-Origin", "*")));

        // Assert
        Assert.Equal(
            "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ‘http://127.0.0.1:8002/api/x’. (Reason: Credential is not supported if the CORS header ‘Access-Control-Allow-Origin’ is ‘*’).",
            message);
    }

    [Fact]
    public void Predict_CapitalTrue_ExpectsTrue()
    {
        // Arrange
        var request = Scenario.Request("/api/x") with { Credentials = CredentialsMode.Include };

        // Act
        var message = FirefoxMessages.Predict(request, null, Scenario.Allow(("Access-Control-Allow-Credentials", "True")));

        // Assert
        Assert.Equal(Blocked + " (Reason: expected ‘true’ in CORS header ‘Access-Control-Allow-Credentials’).", message);
    }

    [Fact]
    public void Predict_PreflightNotOk_AddsTheStatusCode()
    {
        // Act
        var message = FirefoxMessages.Predict(Scenario.Request("/api/x", "PUT"), Scenario.Response(404, ("Access-Control-Allow-Origin", Scenario.Page)), null);

        // Assert
        Assert.Equal(Blocked + " (Reason: CORS preflight response did not succeed). Status code: 404.", message);
    }

    [Fact]
    public void Predict_PreflightRedirect_IsAnExternalRedirect()
    {
        // Arrange
        var preflight = Scenario.Response(302, ("Access-Control-Allow-Origin", Scenario.Page), ("Location", "http://127.0.0.1:8002/api/y"));

        // Act
        var message = FirefoxMessages.Predict(Scenario.Request("/api/x", "PUT"), preflight, null);

        // Assert
        Assert.Equal(Blocked + " (Reason: CORS request external redirect not allowed).", message);
    }

    [Fact]
    public void Predict_MethodNotListed_DidNotFindMethod()
    {
        // Act
        var message = FirefoxMessages.Predict(Scenario.Request("/api/x", "PUT"), Scenario.Allow(("Access-Control-Allow-Methods", "GET, POST")), null);

        // Assert
        Assert.Equal(Blocked + " (Reason: Did not find method in CORS header ‘Access-Control-Allow-Methods’).", message);
    }

    [Fact]
    public void Predict_MethodNotListedAndHeadersUnparsable_ReportsTheMethodFirst()
    {
        // Arrange
        var preflight = Scenario.Allow(("Access-Control-Allow-Methods", "GET"), ("Access-Control-Allow-Headers", "x a"));

        // Act
        var message = FirefoxMessages.Predict(Scenario.Request("/api/x", "PUT", ("x-a", "1")), preflight, null);

        // Assert
        Assert.Equal(Blocked + " (Reason: Did not find method in CORS header ‘Access-Control-Allow-Methods’).", message);
    }

    [Fact]
    public void Predict_UnparsableAllowHeaders_NamesTheBadToken()
    {
        // Arrange
        var preflight = Scenario.Allow(("Access-Control-Allow-Methods", "PUT"), ("Access-Control-Allow-Headers", "x-token, x a"));

        // Act
        var message = FirefoxMessages.Predict(Scenario.Request("/api/x", "PUT", ("X-Token", "1")), preflight, null);

        // Assert
        Assert.Equal(Blocked + " (Reason: invalid token ‘x a’ in CORS header ‘Access-Control-Allow-Headers’).", message);
    }

    [Fact]
    public void Predict_HeaderNotListed_NamesTheHeader()
    {
        // Act
        var message = FirefoxMessages.Predict(Scenario.Request("/api/x", "GET", ("X-Token", "1")), Scenario.Allow(), null);

        // Assert
        Assert.Equal(Blocked + " (Reason: header ‘x-token’ is not allowed according to header ‘Access-Control-Allow-Headers’ from CORS preflight response).", message);
    }

    [Fact]
    public void Predict_AuthorizationCoveredByWildcard_Allows()
    {
        // Act
        var message = FirefoxMessages.Predict(
            Scenario.Request("/api/x", "GET", ("Authorization", "Bearer x")),
            Scenario.Allow(("Access-Control-Allow-Headers", "*")),
            Scenario.Allow());

        // Assert
        Assert.Null(message);
    }

    [Fact]
    public void AuthorizationWildcardWarning_Url_IsFirefoxsWarning()
    {
        // Act
        var warning = FirefoxMessages.AuthorizationWildcardWarning("http://127.0.0.1:8002/api/x");

        // Assert
        Assert.Equal(
            "Cross-Origin Request Warning: The Same Origin Policy will disallow reading the remote resource at http://127.0.0.1:8002/api/x soon. (Reason: When the `Access-Control-Allow-Headers` is `*`, the `Authorization` header is not covered. To include the `Authorization` header, it must be explicitly listed in CORS header `Access-Control-Allow-Headers`).",
            warning);
    }

    [Fact]
    public void PredictConsole_Allowed_IsEmpty()
    {
        // Act
        var lines = FirefoxMessages.PredictConsole(Scenario.Request("/api/x"), null, Scenario.Allow());

        // Assert
        Assert.Empty(lines);
    }

    [Fact]
    public void PredictConsole_ActualResponseFails_IsTheOneMessage()
    {
        // Act
        var lines = FirefoxMessages.PredictConsole(Scenario.Request("/api/x"), null, Scenario.Response(500));

        // Assert
        Assert.Equal([Blocked + " (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 500."], lines);
    }

    [Fact]
    public void PredictConsole_PreflightFails_AddsTheRequestThatDidNotSucceed()
    {
        // Act
        var lines = FirefoxMessages.PredictConsole(Scenario.Request("/api/x", "PUT"), Scenario.Allow(("Access-Control-Allow-Methods", "GET")), null);

        // Assert
        Assert.Equal([Blocked + " (Reason: Did not find method in CORS header ‘Access-Control-Allow-Methods’).", NoResponse], lines);
    }

    [Fact]
    public void PredictConsole_PreflightWithoutAllowOrigin_AddsTheRequestThatDidNotSucceed()
    {
        // Act
        var lines = FirefoxMessages.PredictConsole(Scenario.Request("/api/x", "PUT"), Scenario.Response(500), null);

        // Assert
        Assert.Equal([Blocked + " (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 500.", NoResponse], lines);
    }

    [Fact]
    public void PredictConsole_PreflightRedirectPassingTheCorsCheck_AlsoReportsThePreflightStatus()
    {
        // Arrange
        var preflight = Scenario.Response(307, ("Access-Control-Allow-Origin", Scenario.Page), ("Location", "http://127.0.0.1:8002/api/y"));

        // Act
        var lines = FirefoxMessages.PredictConsole(Scenario.Request("/api/x", "PUT"), preflight, null);

        // Assert
        Assert.Equal(
            [
                Blocked + " (Reason: CORS request external redirect not allowed).",
                Blocked + " (Reason: CORS preflight response did not succeed). Status code: 307.",
                NoResponse,
            ],
            lines);
    }

    [Fact]
    public void PredictConsole_PreflightRedirectWithoutAllowOrigin_ReportsTheRequestThatDidNotSucceedTwice()
    {
        // Arrange
        var preflight = Scenario.Response(307, ("Location", "http://127.0.0.1:8002/api/y"));

        // Act
        var lines = FirefoxMessages.PredictConsole(Scenario.Request("/api/x", "PUT"), preflight, null);

        // Assert
        Assert.Equal([Blocked + " (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 307.", NoResponse, NoResponse], lines);
    }
}

namespace CorsKit.Browser.Tests.Model;

// Every expected string below is what Debian's Chromium 156 printed for the same request and response.
public sealed class ChromiumMessagesTests
{
    private static BrowserVerdict Simple(string path, BrowserResponse actual, RequestInitiator initiator = RequestInitiator.Fetch, CredentialsMode credentials = CredentialsMode.SameOrigin) =>
        BrowserModel.Evaluate(Scenario.Request(path) with { Initiator = initiator, Credentials = credentials }, null, actual);

    private static BrowserVerdict Preflighted(BrowserRequest request, BrowserResponse preflight) =>
        BrowserModel.Evaluate(request, preflight, null);

    [Fact]
    public void Blocked_MissingAllowOriginOnFetch_HasNoTip()
    {
        // Act
        var verdict = Simple("/api/missing", Scenario.Response(500));

        // Assert
        Assert.Equal(
            "Access to fetch at 'http://127.0.0.1:8002/api/missing' from origin 'http://127.0.0.1:8001' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
            verdict.ChromiumMessage);
    }

    [Fact]
    public void Blocked_MissingAllowOriginOnXhr_SaysXMLHttpRequest()
    {
        // Act
        var verdict = Simple("/api/missingxhr", Scenario.Response(200), RequestInitiator.XmlHttpRequest);

        // Assert
        Assert.Equal(
            "Access to XMLHttpRequest at 'http://127.0.0.1:8002/api/missingxhr' from origin 'http://127.0.0.1:8001' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
            verdict.ChromiumMessage);
    }

    [Fact]
    public void Blocked_TwoAllowOriginLinesOnFetch_ShowsBothValuesAndTheTip()
    {
        // Act
        var verdict = Simple("/api/twolines", Scenario.Response(200, ("Access-Control-Allow-Origin", Scenario.Page), ("Access-Control-Allow-Origin", Scenario.Page)));

        // Assert
        Assert.Equal(
            "Access to fetch at 'http://127.0.0.1:8002/api/twolines' from origin 'http://127.0.0.1:8001' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header contains multiple values 'http://127.0.0.1:8001, http://127.0.0.1:8001', but only one is allowed. Have the server send the header with a valid value.",
            verdict.ChromiumMessage);
    }

    [Fact]
    public void Blocked_TwoAllowOriginLinesOnXhr_HasNoTip()
    {
        // Act
        var verdict = Simple("/api/twolinesxhr", Scenario.Response(200, ("Access-Control-Allow-Origin", Scenario.Page), ("Access-Control-Allow-Origin", Scenario.Page)), RequestInitiator.XmlHttpRequest);

        // Assert
        Assert.Equal(
            "Access to XMLHttpRequest at 'http://127.0.0.1:8002/api/twolinesxhr' from origin 'http://127.0.0.1:8001' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header contains multiple values 'http://127.0.0.1:8001, http://127.0.0.1:8001', but only one is allowed.",
            verdict.ChromiumMessage);
    }

    [Fact]
    public void Blocked_TwoWildcardLines_ShowsStarCommaStar()
    {
        // Act
        var verdict = Simple("/api/starstar", Scenario.Response(200, ("Access-Control-Allow-Origin", "*"), ("Access-Control-Allow-Origin", "*")));

        // Assert
        Assert.Equal(
            "Access to fetch at 'http://127.0.0.1:8002/api/starstar' from origin 'http://127.0.0.1:8001' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header contains multiple values '*, *', but only one is allowed. Have the server send the header with a valid value.",
            verdict.ChromiumMessage);
    }

    [Fact]
    public void Blocked_InvalidAllowOriginOnFetch_HasTheTip()
    {
        // Act
        var verdict = Simple("/api/invalid", Scenario.Response(200, ("Access-Control-Allow-Origin", "invalid")));

        // Assert
        Assert.Equal(
            "Access to fetch at 'http://127.0.0.1:8002/api/invalid' from origin 'http://127.0.0.1:8001' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header contains the invalid value 'invalid'. Have the server send the header with a valid value.",
            verdict.ChromiumMessage);
    }

    [Fact]
    public void Blocked_InvalidAllowOriginOnXhr_HasNoTip()
    {
        // Act
        var verdict = Simple("/api/invalidxhr", Scenario.Response(200, ("Access-Control-Allow-Origin", "invalid")), RequestInitiator.XmlHttpRequest);

        // Assert
        Assert.Equal(
            "Access to XMLHttpRequest at 'http://127.0.0.1:8002/api/invalidxhr' from origin 'http://127.0.0.1:8001' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header contains the invalid value 'invalid'.",
            verdict.ChromiumMessage);
    }

    [Fact]
    public void Blocked_EmptyAllowOrigin_IsAnInvalidValue()
    {
        // Act
        var verdict = Simple("/api/emptyacao", Scenario.Response(200, ("Access-Control-Allow-Origin", "")));

        // Assert
        Assert.Equal(
            "Access to fetch at 'http://127.0.0.1:8002/api/emptyacao' from origin 'http://127.0.0.1:8001' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header contains the invalid value ''. Have the server send the header with a valid value.",
            verdict.ChromiumMessage);
    }

    [Fact]
    public void Blocked_TrailingSlashOnFetch_IsAMismatchWithTheTip()
    {
        // Act
        var verdict = Simple("/api/mismatch", Scenario.Response(200, ("Access-Control-Allow-Origin", "http://127.0.0.1:8001/")));

        // Assert
        Assert.Equal(
            "Access to fetch at 'http://127.0.0.1:8002/api/mismatch' from origin 'http://127.0.0.1:8001' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header has a value 'http://127.0.0.1:8001/' that is not equal to the supplied origin. Have the server send the header with a valid value.",
            verdict.ChromiumMessage);
    }

    [Fact]
    public void Blocked_OtherOriginOnXhr_IsAMismatchWithoutTip()
    {
        // Act
        var verdict = Simple("/api/mismatchxhr", Scenario.Response(200, ("Access-Control-Allow-Origin", "https://other.example")), RequestInitiator.XmlHttpRequest);

        // Assert
        Assert.Equal(
            "Access to XMLHttpRequest at 'http://127.0.0.1:8002/api/mismatchxhr' from origin 'http://127.0.0.1:8001' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header has a value 'https://other.example' that is not equal to the supplied origin.",
            verdict.ChromiumMessage);
    }

    [Fact]
    public void Blocked_NullAllowOrigin_IsAMismatch()
    {
        // Act
        var verdict = Simple("/api/nullacao", Scenario.Response(200, ("Access-Control-Allow-Origin", "null")));

        // Assert
        Assert.Equal(
            "Access to fetch at 'http://127.0.0.1:8002/api/nullacao' from origin 'http://127.0.0.1:8001' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header has a value 'null' that is not equal to the supplied origin. Have the server send the header with a valid value.",
            verdict.ChromiumMessage);
    }

    [Fact]
    public void Blocked_UpperCaseScheme_IsAMismatch()
    {
        // Act
        var verdict = Simple("/api/upperacao", Scenario.Response(200, ("Access-Control-Allow-Origin", "HTTP://127.0.0.1:8001")));

        // Assert
        Assert.Equal(
            "Access to fetch at 'http://127.0.0.1:8002/api/upperacao' from origin 'http://127.0.0.1:8001' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header has a value 'HTTP://127.0.0.1:8001' that is not equal to the supplied origin. Have the server send the header with a valid value.",
            verdict.ChromiumMessage);
    }

    [Fact]
    public void Blocked_WildcardWithCredentialsOnFetch_HasNoTip()
    {
        // Act
        var verdict = Simple("/api/starcred", Scenario.Response(200, ("Access-Control-Allow-Origin", "*"), ("Access-Control-Allow-Credentials", "true")), credentials: CredentialsMode.Include);

        // Assert
        Assert.Equal(
            "Access to fetch at 'http://127.0.0.1:8002/api/starcred' from origin 'http://127.0.0.1:8001' has been blocked by CORS policy: The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.",
            verdict.ChromiumMessage);
    }

    [Fact]
    public void Blocked_WildcardWithCredentialsOnXhr_NamesWithCredentials()
    {
        // Act
        var verdict = Simple("/api/starcredxhr", Scenario.Response(200, ("Access-Control-Allow-Origin", "*")), RequestInitiator.XmlHttpRequest, CredentialsMode.Include);

        // Assert
        Assert.Equal(
            "Access to XMLHttpRequest at 'http://127.0.0.1:8002/api/starcredxhr' from origin 'http://127.0.0.1:8001' has been blocked by CORS policy: The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'. The credentials mode of requests initiated by the XMLHttpRequest is controlled by the withCredentials attribute.",
            verdict.ChromiumMessage);
    }

    [Fact]
    public void Blocked_CapitalTrueAllowCredentials_QuotesTheValue()
    {
        // Act
        var verdict = Simple("/api/acacTrue", Scenario.Allow(("Access-Control-Allow-Credentials", "True")), credentials: CredentialsMode.Include);

        // Assert
        Assert.Equal(
            "Access to fetch at 'http://127.0.0.1:8002/api/acacTrue' from origin 'http://127.0.0.1:8001' has been blocked by CORS policy: The value of the 'Access-Control-Allow-Credentials' header in the response is 'True' which must be 'true' when the request's credentials mode is 'include'.",
            verdict.ChromiumMessage);
    }

    [Fact]
    public void Blocked_MissingAllowCredentialsOnXhr_QuotesEmptyAndNamesWithCredentials()
    {
        // Act
        var verdict = Simple("/api/acacmissingxhr", Scenario.Allow(), RequestInitiator.XmlHttpRequest, CredentialsMode.Include);

        // Assert
        Assert.Equal(
            "Access to XMLHttpRequest at 'http://127.0.0.1:8002/api/acacmissingxhr' from origin 'http://127.0.0.1:8001' has been blocked by CORS policy: The value of the 'Access-Control-Allow-Credentials' header in the response is '' which must be 'true' when the request's credentials mode is 'include'. The credentials mode of requests initiated by the XMLHttpRequest is controlled by the withCredentials attribute.",
            verdict.ChromiumMessage);
    }

    [Fact]
    public void Blocked_PreflightServerErrorWithoutAllowOrigin_ReportsTheMissingHeader()
    {
        // Act
        var verdict = Preflighted(Scenario.Request("/api/pf500noacao", "PUT"), Scenario.Response(500));

        // Assert
        Assert.Equal(
            "Access to fetch at 'http://127.0.0.1:8002/api/pf500noacao' from origin 'http://127.0.0.1:8001' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
            verdict.ChromiumMessage);
    }

    [Fact]
    public void Blocked_PreflightServerErrorWithAllowOrigin_ReportsTheStatus()
    {
        // Act
        var verdict = Preflighted(Scenario.Request("/api/pf500", "PUT"), Scenario.Response(500, ("Access-Control-Allow-Origin", Scenario.Page), ("Access-Control-Allow-Methods", "PUT")));

        // Assert
        Assert.Equal(
            "Access to fetch at 'http://127.0.0.1:8002/api/pf500' from origin 'http://127.0.0.1:8001' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: It does not have HTTP ok status.",
            verdict.ChromiumMessage);
    }

    [Fact]
    public void Blocked_PreflightRedirect_ReportsTheRedirect()
    {
        // Act
        var verdict = Preflighted(Scenario.Request("/api/pf302noacao", "PUT"), Scenario.Response(302, ("Location", "http://127.0.0.1:8002/api/pf302")));

        // Assert
        Assert.Equal(
            "Access to fetch at 'http://127.0.0.1:8002/api/pf302noacao' from origin 'http://127.0.0.1:8001' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: Redirect is not allowed for a preflight request.",
            verdict.ChromiumMessage);
    }

    [Fact]
    public void Blocked_PreflightMismatchOnFetch_HasThePreflightSentenceAndTheTip()
    {
        // Act
        var verdict = Preflighted(Scenario.Request("/api/pfmismatch", "PUT"), Scenario.Response(200, ("Access-Control-Allow-Origin", "https://x.example")));

        // Assert
        Assert.Equal(
            "Access to fetch at 'http://127.0.0.1:8002/api/pfmismatch' from origin 'http://127.0.0.1:8001' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: The 'Access-Control-Allow-Origin' header has a value 'https://x.example' that is not equal to the supplied origin. Have the server send the header with a valid value.",
            verdict.ChromiumMessage);
    }

    [Fact]
    public void Blocked_PreflightWildcardWithCredentialsOnXhr_HasBothSentences()
    {
        // Arrange
        var request = Scenario.Request("/api/pfstarcredxhr", "PUT") with { Initiator = RequestInitiator.XmlHttpRequest, Credentials = CredentialsMode.Include };

        // Act
        var verdict = Preflighted(request, Scenario.Response(200, ("Access-Control-Allow-Origin", "*")));

        // Assert
        Assert.Equal(
            "Access to XMLHttpRequest at 'http://127.0.0.1:8002/api/pfstarcredxhr' from origin 'http://127.0.0.1:8001' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'. The credentials mode of requests initiated by the XMLHttpRequest is controlled by the withCredentials attribute.",
            verdict.ChromiumMessage);
    }

    [Fact]
    public void Blocked_PreflightWithoutAllowCredentials_HasThePreflightSentence()
    {
        // Arrange
        var request = Scenario.Request("/api/pfcredmissing", "PUT") with { Credentials = CredentialsMode.Include };

        // Act
        var verdict = Preflighted(request, Scenario.Allow(("Access-Control-Allow-Methods", "PUT")));

        // Assert
        Assert.Equal(
            "Access to fetch at 'http://127.0.0.1:8002/api/pfcredmissing' from origin 'http://127.0.0.1:8001' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: The value of the 'Access-Control-Allow-Credentials' header in the response is '' which must be 'true' when the request's credentials mode is 'include'.",
            verdict.ChromiumMessage);
    }

    [Fact]
    public void Blocked_GetPostInAllowMethods_CannotParseWithoutThePreflightSentence()
    {
        // Act
        var verdict = Preflighted(Scenario.Request("/api/getpost", "PUT"), Scenario.Allow(("Access-Control-Allow-Methods", "GET POST")));

        // Assert
        Assert.Equal(
            "Access to fetch at 'http://127.0.0.1:8002/api/getpost' from origin 'http://127.0.0.1:8001' has been blocked by CORS policy: Cannot parse Access-Control-Allow-Methods response header field in preflight response.",
            verdict.ChromiumMessage);
    }

    [Fact]
    public void Blocked_UnparsableAllowHeaders_CannotParseWithoutThePreflightSentence()
    {
        // Act
        var verdict = Preflighted(
            Scenario.Request("/api/badheaders2", "PUT", ("X-Token", "1")),
            Scenario.Allow(("Access-Control-Allow-Methods", "PUT"), ("Access-Control-Allow-Headers", "x a")));

        // Assert
        Assert.Equal(
            "Access to fetch at 'http://127.0.0.1:8002/api/badheaders2' from origin 'http://127.0.0.1:8001' has been blocked by CORS policy: Cannot parse Access-Control-Allow-Headers response header field in preflight response.",
            verdict.ChromiumMessage);
    }

    [Fact]
    public void Blocked_PutNotListed_NamesTheMethod()
    {
        // Act
        var verdict = Preflighted(Scenario.Request("/api/put", "PUT"), Scenario.Allow(("Access-Control-Allow-Methods", "GET, POST")));

        // Assert
        Assert.Equal(
            "Access to fetch at 'http://127.0.0.1:8002/api/put' from origin 'http://127.0.0.1:8001' has been blocked by CORS policy: Method PUT is not allowed by Access-Control-Allow-Methods in preflight response.",
            verdict.ChromiumMessage);
    }

    [Fact]
    public void Blocked_LowerCasePatchAgainstUpperCaseList_NamesLowerCasePatch()
    {
        // Act
        var verdict = Preflighted(Scenario.Request("/api/patchlower", "patch"), Scenario.Allow(("Access-Control-Allow-Methods", "PATCH")));

        // Assert
        Assert.Equal(
            "Access to fetch at 'http://127.0.0.1:8002/api/patchlower' from origin 'http://127.0.0.1:8001' has been blocked by CORS policy: Method patch is not allowed by Access-Control-Allow-Methods in preflight response.",
            verdict.ChromiumMessage);
    }

    [Fact]
    public void Blocked_UpperCasePatchAgainstLowerCaseList_NamesUpperCasePatch()
    {
        // Act
        var verdict = Preflighted(Scenario.Request("/api/patchupper", "PATCH"), Scenario.Allow(("Access-Control-Allow-Methods", "patch")));

        // Assert
        Assert.Equal(
            "Access to fetch at 'http://127.0.0.1:8002/api/patchupper' from origin 'http://127.0.0.1:8001' has been blocked by CORS policy: Method PATCH is not allowed by Access-Control-Allow-Methods in preflight response.",
            verdict.ChromiumMessage);
    }

    [Fact]
    public void Blocked_HeaderNotListedOnXhr_NamesTheLowerCaseHeader()
    {
        // Arrange
        var request = Scenario.Request("/api/xtoken", "GET", ("X-Token", "1")) with { Initiator = RequestInitiator.XmlHttpRequest };

        // Act
        var verdict = Preflighted(request, Scenario.Allow());

        // Assert
        Assert.Equal(
            "Access to XMLHttpRequest at 'http://127.0.0.1:8002/api/xtoken' from origin 'http://127.0.0.1:8001' has been blocked by CORS policy: Request header field x-token is not allowed by Access-Control-Allow-Headers in preflight response.",
            verdict.ChromiumMessage);
    }

    [Fact]
    public void Blocked_AuthorizationAgainstWildcardWithCredentials_NamesAuthorization()
    {
        // Arrange
        var request = Scenario.Request("/api/authstarcred", "GET", ("Authorization", "Bearer x")) with { Credentials = CredentialsMode.Include };

        // Act
        var verdict = Preflighted(request, Scenario.Allow(("Access-Control-Allow-Credentials", "true"), ("Access-Control-Allow-Headers", "*")));

        // Assert
        Assert.Equal(
            "Access to fetch at 'http://127.0.0.1:8002/api/authstarcred' from origin 'http://127.0.0.1:8001' has been blocked by CORS policy: Request header field authorization is not allowed by Access-Control-Allow-Headers in preflight response.",
            verdict.ChromiumMessage);
    }

    [Fact]
    public void Blocked_UrlWithoutPath_PrintsTheSlash()
    {
        // Arrange
        var request = new BrowserRequest("http://127.0.0.1:8002", Scenario.Page);

        // Act
        var verdict = BrowserModel.Evaluate(request, null, Scenario.Response(200));

        // Assert
        Assert.Equal(
            "Access to fetch at 'http://127.0.0.1:8002/' from origin 'http://127.0.0.1:8001' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
            verdict.ChromiumMessage);
    }

    [Fact]
    public void Blocked_RedirectedRequest_NamesBothUrls()
    {
        // Arrange
        var request = Scenario.Request("/api/redirect/hop") with { RedirectedFrom = "http://127.0.0.1:8002/api/redirect" };

        // Act
        var verdict = BrowserModel.Evaluate(request, null, Scenario.Response(200));

        // Assert
        Assert.Equal(
            "Access to fetch at 'http://127.0.0.1:8002/api/redirect/hop' (redirected from 'http://127.0.0.1:8002/api/redirect') from origin 'http://127.0.0.1:8001' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
            verdict.ChromiumMessage);
    }

    [Fact]
    public void Reason_Pass_Throws()
    {
        // Act
        var exception = Assert.Throws<ArgumentException>(() => ChromiumMessages.Reason(CorsCheckResult.Pass, RequestInitiator.Fetch));

        // Assert
        Assert.Equal("None is not a failure (Parameter 'failure')", exception.Message);
    }

    [Fact]
    public void RefusedToSetUnsafeHeader_Name_QuotesItAsWritten()
    {
        // Act
        var message = ChromiumMessages.RefusedToSetUnsafeHeader("Sec-Foo");

        // Assert
        Assert.Equal("Refused to set unsafe header \"Sec-Foo\"", message);
    }
}

namespace CorsKit.Browser.Tests.Model;

public sealed class BrowserModelTests
{
    [Fact]
    public void Evaluate_SimpleGetWithMatchingOrigin_AllowsWithoutPreflight()
    {
        // Arrange
        var request = Scenario.Request("/api/x");
        var actual = Scenario.Allow(("Content-Type", "application/json"), ("X-Custom", "1"));

        // Act
        var verdict = BrowserModel.Evaluate(request, null, actual);

        // Assert
        Assert.Equal(BrowserOutcome.Allowed, verdict.Outcome);
        Assert.True(verdict.IsAllowed);
        Assert.True(verdict.IsCrossOrigin);
        Assert.False(verdict.PreflightSent);
        Assert.Equal(CorsCheckResult.Pass, verdict.Check);
        Assert.Null(verdict.ChromiumMessage);
        Assert.Null(verdict.FirefoxMessage);
        Assert.Empty(verdict.ChromiumConsole);
        Assert.Equal(["content-type"], verdict.ReadableHeaders);
        Assert.Null(verdict.PreflightCache);
        Assert.Empty(verdict.Warnings);
    }

    [Fact]
    public void Evaluate_PreflightedPutThatPasses_ReportsCacheDurationsAndExposedHeaders()
    {
        // Arrange
        var request = Scenario.Request("/api/x", "PUT", ("X-Token", "1"));
        var preflight = Scenario.Response(
            204,
            ("Access-Control-Allow-Origin", Scenario.Page),
            ("Access-Control-Allow-Methods", "PUT"),
            ("Access-Control-Allow-Headers", "x-token"),
            ("Access-Control-Max-Age", "86400"));
        var actual = Scenario.Allow(("X-Request-Id", "7"), ("Access-Control-Expose-Headers", "X-Request-Id"));

        // Act
        var verdict = BrowserModel.Evaluate(request, preflight, actual);

        // Assert
        Assert.True(verdict.IsAllowed);
        Assert.True(verdict.PreflightSent);
        Assert.True(verdict.PreflightResult!.Passed);
        Assert.Equal(new PreflightCacheDurations(TimeSpan.FromHours(2), TimeSpan.FromHours(24), TimeSpan.FromMinutes(10)), verdict.PreflightCache);
        Assert.Equal(["x-request-id"], verdict.ReadableHeaders);
        Assert.Empty(verdict.Warnings);
    }

    [Fact]
    public void Evaluate_AuthorizationCoveredByWildcard_AllowsAndWarns()
    {
        // Arrange
        var request = Scenario.Request("/api/authstar", "GET", ("Authorization", "Bearer x"));
        var preflight = Scenario.Allow(("Access-Control-Allow-Headers", "*"));

        // Act
        var verdict = BrowserModel.Evaluate(request, preflight, Scenario.Allow());

        // Assert
        Assert.True(verdict.IsAllowed);
        Assert.True(verdict.PreflightResult!.AuthorizationCoveredByWildcard);
        Assert.Equal(
            ["Authorization passes only because Access-Control-Allow-Headers has '*': Chromium 156 and Firefox still allow it with a deprecation warning, but the Fetch standard and future browsers refuse it; list authorization by name"],
            verdict.Warnings);
        Assert.Equal(new PreflightCacheDurations(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5)), verdict.PreflightCache);
    }

    [Fact]
    public void Evaluate_FailedPreflight_BlocksWithoutTheActualResponse()
    {
        // Arrange
        var request = Scenario.Request("/api/put", "PUT");

        // Act
        var verdict = BrowserModel.Evaluate(request, Scenario.Allow(("Access-Control-Allow-Methods", "GET, POST")), null);

        // Assert
        Assert.Equal(BrowserOutcome.Blocked, verdict.Outcome);
        Assert.Equal(new CorsCheckResult(CorsFailure.MethodDisallowedByPreflightResponse, "PUT", OnPreflight: true), verdict.Check);
        Assert.Equal([verdict.ChromiumMessage!], verdict.ChromiumConsole);
        Assert.Empty(verdict.ReadableHeaders);
        Assert.Null(verdict.PreflightCache);
    }

    [Fact]
    public void Evaluate_SeveralHeadersRefused_WarnsThatChromiumMayNameAnother()
    {
        // Arrange
        var request = Scenario.Request("/api/hdr", "GET", ("X-B", "1"), ("x-a", "1"), ("X-C", "1"));

        // Act
        var verdict = BrowserModel.Evaluate(request, Scenario.Allow(("Access-Control-Allow-Headers", "x-b")), null);

        // Assert
        Assert.Equal(new CorsCheckResult(CorsFailure.HeaderDisallowedByPreflightResponse, "x-a", OnPreflight: true), verdict.Check);
        Assert.Equal(
            ["the preflight allows none of x-a, x-c; Chromium names one of them in an order of its own, not necessarily x-a"],
            verdict.Warnings);
    }

    [Fact]
    public void Evaluate_XhrWithForbiddenHeaders_LogsRefusalsBeforeTheCorsError()
    {
        // Arrange
        var request = Scenario.Request("/api/forbxhr", "GET", ("Sec-Foo", "1"), ("Cookie", "a=b"), ("x-ok", "1")) with { Initiator = RequestInitiator.XmlHttpRequest };

        // Act
        var verdict = BrowserModel.Evaluate(request, Scenario.Allow(), null);

        // Assert
        Assert.Equal(
            [
                "Refused to set unsafe header \"Sec-Foo\"",
                "Refused to set unsafe header \"Cookie\"",
                "Access to XMLHttpRequest at 'http://127.0.0.1:8002/api/forbxhr' from origin 'http://127.0.0.1:8001' has been blocked by CORS policy: Request header field x-ok is not allowed by Access-Control-Allow-Headers in preflight response.",
            ],
            verdict.ChromiumConsole);
        Assert.Equal(
            [
                "Refused to set unsafe header \"Sec-Foo\"",
                "Refused to set unsafe header \"Cookie\"",
                "Request header field x-ok is not allowed by Access-Control-Allow-Headers.",
                "XMLHttpRequest cannot load http://127.0.0.1:8002/api/forbxhr due to access control checks.",
            ],
            verdict.WebKitConsole);
        Assert.Equal("Request header field x-ok is not allowed by Access-Control-Allow-Headers.", verdict.WebKitMessage);
        Assert.Equal(
            [
                "Sec-Foo is a forbidden request header: the browser drops it and sends the request without it",
                "Cookie is a forbidden request header: the browser drops it and sends the request without it",
            ],
            verdict.Warnings);
    }

    [Fact]
    public void Evaluate_FetchWithForbiddenHeader_DropsItSilently()
    {
        // Arrange
        var request = Scenario.Request("/api/x", "GET", ("Proxy-Foo", "1"));

        // Act
        var verdict = BrowserModel.Evaluate(request, null, Scenario.Allow());

        // Assert
        Assert.True(verdict.IsAllowed);
        Assert.False(verdict.PreflightSent);
        Assert.Empty(verdict.ChromiumConsole);
        Assert.Empty(verdict.WebKitConsole);
        Assert.Equal(["Proxy-Foo is a forbidden request header: the browser drops it and sends the request without it"], verdict.Warnings);
    }

    [Fact]
    public void Evaluate_SameOriginRequest_AllowsAndReadsAllButSetCookie()
    {
        // Arrange
        var request = new BrowserRequest("http://127.0.0.1:8001/api/x", Scenario.Page) { Method = "DELETE" };
        var actual = Scenario.Response(200, ("X-Custom", "1"), ("Set-Cookie", "a=b"));

        // Act
        var verdict = BrowserModel.Evaluate(request, null, actual);

        // Assert
        Assert.True(verdict.IsAllowed);
        Assert.False(verdict.IsCrossOrigin);
        Assert.False(verdict.PreflightSent);
        Assert.Equal(["x-custom"], verdict.ReadableHeaders);
    }

    [Fact]
    public void Evaluate_CrossOriginRedirectThatPasses_FollowsWithTaintedOrigin()
    {
        // Arrange
        var request = Scenario.Request("/api/crossredirect", "POST");
        var actual = Scenario.Response(302, ("Access-Control-Allow-Origin", Scenario.Page), ("Location", "http://localhost:8002/api/crossredirect/hop"));

        // Act
        var verdict = BrowserModel.Evaluate(request, null, actual);

        // Assert
        Assert.Equal(BrowserOutcome.Redirected, verdict.Outcome);
        var next = verdict.NextRequest!;
        Assert.Equal("http://localhost:8002/api/crossredirect/hop", next.Url);
        Assert.Equal("GET", next.Method);
        Assert.Equal("http://127.0.0.1:8002/api/crossredirect", next.RedirectedFrom);
        Assert.True(next.OriginTainted);
        Assert.Empty(next.Headers);
        Assert.Empty(verdict.ReadableHeaders);
    }

    [Fact]
    public void Evaluate_HopAfterCrossOriginRedirect_ComparesAgainstNullAndPrintsThePageOrigin()
    {
        // Arrange: what Chromium 156 printed when the hop echoed the page origin instead of null.
        var request = new BrowserRequest("http://localhost:8002/api/crossredirect/hop", Scenario.Page)
        {
            RedirectedFrom = "http://127.0.0.1:8002/api/crossredirect",
            OriginTainted = true,
        };

        // Act
        var verdict = BrowserModel.Evaluate(request, null, Scenario.Allow());

        // Assert
        Assert.Equal(
            "Access to fetch at 'http://localhost:8002/api/crossredirect/hop' (redirected from 'http://127.0.0.1:8002/api/crossredirect') from origin 'http://127.0.0.1:8001' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header has a value 'http://127.0.0.1:8001' that is not equal to the supplied origin. Have the server send the header with a valid value.",
            verdict.ChromiumMessage);
    }

    [Fact]
    public void Evaluate_HopAfterCrossOriginRedirectAllowingNull_Allows()
    {
        // Arrange
        var request = new BrowserRequest("http://localhost:8002/api/hop", Scenario.Page) { RedirectedFrom = "http://127.0.0.1:8002/api/x", OriginTainted = true };

        // Act
        var verdict = BrowserModel.Evaluate(request, null, Scenario.Response(200, ("Access-Control-Allow-Origin", "null")));

        // Assert
        Assert.True(verdict.IsAllowed);
    }

    [Fact]
    public void Evaluate_RedirectWithoutAllowOrigin_BlocksAtTheFirstUrl()
    {
        // Arrange
        var request = Scenario.Request("/api/redirect2");
        var actual = Scenario.Response(302, ("Location", "http://127.0.0.1:8002/api/redirect2/hop"));

        // Act
        var verdict = BrowserModel.Evaluate(request, null, actual);

        // Assert
        Assert.Equal(
            "Access to fetch at 'http://127.0.0.1:8002/api/redirect2' from origin 'http://127.0.0.1:8001' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
            verdict.ChromiumMessage);
        Assert.Null(verdict.NextRequest);
    }

    [Fact]
    public void Evaluate_SameOriginRedirectOfPut_KeepsMethodAndOrigin()
    {
        // Arrange
        var request = Scenario.Request("/api/a", "PUT", ("Content-Type", "application/json"));
        var preflight = Scenario.Allow(("Access-Control-Allow-Methods", "PUT"), ("Access-Control-Allow-Headers", "content-type"));
        var actual = Scenario.Response(307, ("Access-Control-Allow-Origin", Scenario.Page), ("Location", "/api/b"));

        // Act
        var verdict = BrowserModel.Evaluate(request, preflight, actual);

        // Assert
        Assert.Equal(request with { Url = "http://127.0.0.1:8002/api/b", RedirectedFrom = "http://127.0.0.1:8002/api/a" }, verdict.NextRequest);
    }

    [Fact]
    public void Evaluate_303AfterPostWithBody_TurnsIntoGetWithoutBodyHeaders()
    {
        // Arrange
        var request = Scenario.Request("/api/a", "POST", ("Content-Type", "text/plain"), ("Accept", "text/html"));
        var actual = Scenario.Response(303, ("Access-Control-Allow-Origin", Scenario.Page), ("Location", "/api/b"));

        // Act
        var verdict = BrowserModel.Evaluate(request, null, actual);

        // Assert
        Assert.Equal("GET", verdict.NextRequest!.Method);
        Assert.Equal([new HeaderField("Accept", "text/html")], verdict.NextRequest.Headers);
    }

    [Fact]
    public void Evaluate_PreflightNeededButNotGiven_Throws()
    {
        // Arrange
        var request = Scenario.Request("/api/x", "PUT");

        // Act
        var exception = Assert.Throws<ArgumentException>(() => BrowserModel.Evaluate(request, null, Scenario.Allow()));

        // Assert
        Assert.Equal("the browser sends a preflight first (method PUT is not CORS-safelisted); pass its response (Parameter 'preflight')", exception.Message);
    }

    [Fact]
    public void Evaluate_ActualResponseMissing_Throws()
    {
        // Act
        var exception = Assert.Throws<ArgumentException>(() => BrowserModel.Evaluate(Scenario.Request("/api/x"), null, null));

        // Assert
        Assert.Equal("the browser sends the request itself; pass its response (Parameter 'actual')", exception.Message);
    }

    [Fact]
    public void Evaluate_ForbiddenMethod_Throws()
    {
        // Act
        var exception = Assert.Throws<ArgumentException>(() => BrowserModel.Evaluate(Scenario.Request("/api/x", "trace"), null, null));

        // Assert
        Assert.Equal("trace is a forbidden method: fetch() throws a TypeError before sending anything (Parameter 'request')", exception.Message);
    }

    [Fact]
    public void Evaluate_UnneededPreflightGiven_IgnoresItWithAWarning()
    {
        // Act
        var verdict = BrowserModel.Evaluate(Scenario.Request("/api/x"), Scenario.Response(500), Scenario.Allow());

        // Assert
        Assert.True(verdict.IsAllowed);
        Assert.Equal(["the browser sends no preflight for this request; the preflight response given was ignored"], verdict.Warnings);
    }

    [Fact]
    public void Evaluate_FirefoxDisagrees_ReportsFirefoxsOwnMessage()
    {
        // Arrange: a GET with a custom header, answered with an unparsable method list (Chromium 156 refused exactly this).
        var request = Scenario.Request("/api/x", "GET", ("X-A", "1"));
        var preflight = Scenario.Allow(("Access-Control-Allow-Methods", "GET POST"), ("Access-Control-Allow-Headers", "x-a"));

        // Act
        var verdict = BrowserModel.Evaluate(request, preflight, Scenario.Allow());

        // Assert: a GET needs no method list, but both engines still refuse the unparsable one; Firefox names the bad token.
        Assert.Equal(
            "Access to fetch at 'http://127.0.0.1:8002/api/x' from origin 'http://127.0.0.1:8001' has been blocked by CORS policy: Cannot parse Access-Control-Allow-Methods response header field in preflight response.",
            verdict.ChromiumMessage);
        Assert.Equal(
            "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at http://127.0.0.1:8002/api/x. (Reason: invalid token ‘GET POST’ in CORS header ‘Access-Control-Allow-Methods’).",
            verdict.FirefoxMessage);
    }
}

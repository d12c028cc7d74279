namespace CorsKit.Browser.Tests.Model;

// Expected lines are what WebKitGTK 2.50's MiniBrowser printed for the same requests and responses (docs/webkit.md),
// with the page's and API's ports replaced by Scenario's.
public sealed class WebKitMessagesTests
{
    private const string NotAllowed200 = "Origin http://127.0.0.1:8001 is not allowed by Access-Control-Allow-Origin. Status code: 200";

    public static TheoryData<string, string?> AllowOriginValuesReadAlike => new()
    {
        { "missing", null },
        { "null", "null" },
        { "trailing slash", Scenario.Page + "/" },
        { "another origin", "http://other.example" },
        { "not a URL", "not-a-url" },
        { "empty", string.Empty },
        { "two origins with a space", Scenario.Page + " http://a.example" },
        { "upper case", Scenario.Page.ToUpperInvariant() },
    };

    [Theory]
    [MemberData(nameof(AllowOriginValuesReadAlike))]
    public void PredictConsole_AllowOriginNotTheOrigin_ReadsAlikeWithTheStatus(string because, string? allowOrigin)
    {
        // Arrange
        var actual = allowOrigin is null ? Scenario.Response(200) : Scenario.Response(200, ("Access-Control-Allow-Origin", allowOrigin));

        // Act
        var console = WebKitMessages.PredictConsole(Scenario.Request("/api/x"), null, actual);

        // Assert
        Assert.True(console.SequenceEqual([NotAllowed200, Load("/api/x")]), because);
    }

    [Fact]
    public void PredictConsole_MissingAllowOriginOn500_NamesTheStatus()
    {
        // Act
        var console = WebKitMessages.PredictConsole(Scenario.Request("/api/x"), null, Scenario.Response(500));

        // Assert
        Assert.Equal(["Origin http://127.0.0.1:8001 is not allowed by Access-Control-Allow-Origin. Status code: 500", Load("/api/x")], console);
    }

    [Theory]
    [InlineData("two lines")]
    [InlineData("comma")]
    [InlineData("two wildcard lines")]
    public void PredictConsole_SeveralOrigins_CannotContainMoreThanOne(string shape)
    {
        // Arrange
        (string, string)[] headers = shape switch
        {
            "two lines" => [("Access-Control-Allow-Origin", Scenario.Page), ("Access-Control-Allow-Origin", Scenario.Page)],
            "comma" => [("Access-Control-Allow-Origin", Scenario.Page + ", http://a.example")],
            _ => [("Access-Control-Allow-Origin", "*"), ("Access-Control-Allow-Origin", "*")],
        };

        // Act
        var console = WebKitMessages.PredictConsole(Scenario.Request("/api/x"), null, Scenario.Response(200, headers));

        // Assert
        Assert.Equal(["Access-Control-Allow-Origin cannot contain more than one origin.", Load("/api/x")], console);
    }

    [Fact]
    public void PredictConsole_TrailingSpacesAfterTheOrigin_Allows()
    {
        // Act
        var console = WebKitMessages.PredictConsole(Scenario.Request("/api/x"), null, Scenario.Response(200, ("Access-Control-Allow-Origin", Scenario.Page + "   ")));

        // Assert
        Assert.Empty(console);
    }

    [Fact]
    public void PredictConsole_WildcardWithCredentials_CannotUseWildcard()
    {
        // Act
        var console = WebKitMessages.PredictConsole(Credentialed("/api/x"), null, Scenario.Response(200, ("Access-Control-Allow-Origin", "*")));

        // Assert
        Assert.Equal(["Cannot use wildcard in Access-Control-Allow-Origin when credentials flag is true.", Load("/api/x")], console);
    }

    [Fact]
    public void PredictConsole_CommaListOfWildcardsWithCredentials_IsMoreThanOneOrigin()
    {
        // Act
        var console = WebKitMessages.PredictConsole(Credentialed("/api/x"), null, Scenario.Response(200, ("Access-Control-Allow-Origin", "*, *")));

        // Assert
        Assert.Equal(["Access-Control-Allow-Origin cannot contain more than one origin.", Load("/api/x")], console);
    }

    [Fact]
    public void PredictConsole_MissingAllowOriginWithCredentials_IsNotAllowed()
    {
        // Act
        var console = WebKitMessages.PredictConsole(Credentialed("/api/x"), null, Scenario.Response(200));

        // Assert
        Assert.Equal([NotAllowed200, Load("/api/x")], console);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("True")]
    public void PredictConsole_AllowCredentialsNotTrue_SaysCredentialsFlag(string? allowCredentials)
    {
        // Arrange
        var actual = allowCredentials is null ? Scenario.Allow() : Scenario.Allow(("Access-Control-Allow-Credentials", allowCredentials));

        // Act
        var console = WebKitMessages.PredictConsole(Credentialed("/api/x"), null, actual);

        // Assert
        Assert.Equal(["Credentials flag is true, but Access-Control-Allow-Credentials is not \"true\".", Load("/api/x")], console);
    }

    [Theory]
    [InlineData("PUT", "GET", "PUT")]
    [InlineData("PUT", "put", "PUT")]
    [InlineData("patch", "PATCH", "patch")]
    [InlineData("PATCH", "patch", "PATCH")]
    public void PredictConsole_MethodNotListedInItsCase_NamesTheMethodAsSent(string method, string allowMethods, string named)
    {
        // Act
        var console = WebKitMessages.PredictConsole(Scenario.Request("/api/x", method), Scenario.Allow(("Access-Control-Allow-Methods", allowMethods)), null);

        // Assert
        Assert.Equal([$"Method {named} is not allowed by Access-Control-Allow-Methods.", Load("/api/x")], console);
    }

    [Fact]
    public void PredictConsole_LowerCasePatchListedLowerCase_Allows()
    {
        // Act
        var console = WebKitMessages.PredictConsole(Scenario.Request("/api/x", "patch"), Scenario.Allow(("Access-Control-Allow-Methods", "patch")), Scenario.Allow());

        // Assert
        Assert.Empty(console);
    }

    [Fact]
    public void PredictConsole_WildcardMethodWithCredentials_DoesNotCoverPut()
    {
        // Arrange
        var request = Credentialed("/api/x") with { Method = "PUT" };
        var preflight = Scenario.Allow(("Access-Control-Allow-Methods", "*"), ("Access-Control-Allow-Credentials", "true"));

        // Act
        var console = WebKitMessages.PredictConsole(request, preflight, null);

        // Assert
        Assert.Equal(["Method PUT is not allowed by Access-Control-Allow-Methods.", Load("/api/x")], console);
    }

    [Fact]
    public void PredictConsole_MethodListWithEmptyElementsAndSpaces_Allows()
    {
        // Act
        var console = WebKitMessages.PredictConsole(Scenario.Request("/api/x", "PUT"), Scenario.Allow(("Access-Control-Allow-Methods", " , PUT ,")), Scenario.Allow());

        // Assert
        Assert.Empty(console);
    }

    [Theory]
    [InlineData("X-Token", "X-Token")]
    [InlineData("x-token", "x-token")]
    [InlineData("content-type", "Content-Type")]
    public void PredictConsole_HeaderNotAllowed_NamesItAsWebKitSpellsIt(string written, string named)
    {
        // Arrange
        var value = written.Equals("content-type", StringComparison.OrdinalIgnoreCase) ? "application/json" : "1";
        var request = Scenario.Request("/api/x", "POST", (written, value));

        // Act
        var console = WebKitMessages.PredictConsole(request, Scenario.Allow(("Access-Control-Allow-Headers", "x-other")), null);

        // Assert
        Assert.Equal([$"Request header field {named} is not allowed by Access-Control-Allow-Headers.", Load("/api/x")], console);
    }

    [Theory]
    [InlineData("X-Zeta", "X-Alpha", "X-Zeta")]
    [InlineData("X-B", "x-a", "X-B")]
    [InlineData("x-b", "authorization", "Authorization")]
    [InlineData("x-a", "Content-Type", "Content-Type")]
    public void PredictConsole_TwoHeadersNotAllowed_NamesAKnownNameFirstThenTheFirstSet(string first, string second, string named)
    {
        // Arrange
        var request = Scenario.Request("/api/x", "POST", (first, "1"), (second, second.Equals("Content-Type", StringComparison.OrdinalIgnoreCase) ? "application/json" : "1"));

        // Act
        var console = WebKitMessages.PredictConsole(request, Scenario.Allow(), null);

        // Assert
        Assert.Equal([$"Request header field {named} is not allowed by Access-Control-Allow-Headers.", Load("/api/x")], console);
    }

    [Fact]
    public void PredictConsole_WildcardHeadersWithoutCredentials_CoversAuthorization()
    {
        // Act
        var console = WebKitMessages.PredictConsole(
            Scenario.Request("/api/x", "GET", ("Authorization", "Bearer x")),
            Scenario.Allow(("Access-Control-Allow-Headers", "*")),
            Scenario.Allow());

        // Assert
        Assert.Empty(console);
    }

    [Fact]
    public void PredictConsole_WildcardHeadersWithCredentials_DoesNotCoverAHeader()
    {
        // Arrange
        var request = Credentialed("/api/x") with { Headers = [new("X-A", "1")] };
        var preflight = Scenario.Allow(("Access-Control-Allow-Credentials", "true"), ("Access-Control-Allow-Headers", "*"));

        // Act
        var console = WebKitMessages.PredictConsole(request, preflight, null);

        // Assert
        Assert.Equal(["Request header field X-A is not allowed by Access-Control-Allow-Headers.", Load("/api/x")], console);
    }

    [Theory]
    [InlineData("GET PUT", "x-a", "Header Access-Control-Allow-Methods has an invalid value: GET PUT")]
    [InlineData("PUT", "x-a x-b", "Header Access-Control-Allow-Headers has an invalid value: x-a x-b")]
    [InlineData("GET PUT", "x-a x-b", "Header Access-Control-Allow-Methods has an invalid value: GET PUT")]
    public void PredictConsole_ListNotTokens_QuotesTheValueMethodsFirst(string allowMethods, string allowHeaders, string reason)
    {
        // Arrange
        var request = Scenario.Request("/api/x", "PUT", ("X-A", "1"));
        var preflight = Scenario.Allow(("Access-Control-Allow-Methods", allowMethods), ("Access-Control-Allow-Headers", allowHeaders));

        // Act
        var console = WebKitMessages.PredictConsole(request, preflight, null);

        // Assert
        Assert.Equal([reason, Load("/api/x")], console);
    }

    [Theory]
    [InlineData(404, false)]
    [InlineData(500, true)]
    [InlineData(302, true)]
    [InlineData(307, false)]
    [InlineData(301, false)]
    public void PredictConsole_PreflightNotOk_NamesTheStatusBeforeAllowOrigin(int status, bool withAllowOrigin)
    {
        // Arrange
        (string, string)[] headers = status is >= 300 and < 400 ? [("Location", Scenario.Api + "/target")] : [];
        var preflight = Scenario.Response(status, withAllowOrigin ? [("Access-Control-Allow-Origin", Scenario.Page), .. headers] : headers);

        // Act
        var console = WebKitMessages.PredictConsole(Scenario.Request("/api/x", "PUT"), preflight, null);

        // Assert
        Assert.Equal([$"Preflight response is not successful. Status code: {status}", Load("/api/x")], console);
    }

    [Fact]
    public void PredictConsole_PreflightOkWithoutAllowOrigin_IsNotAllowedWithItsStatus()
    {
        // Act
        var console = WebKitMessages.PredictConsole(Scenario.Request("/api/x", "PUT"), Scenario.Response(200, ("Access-Control-Allow-Methods", "PUT")), null);

        // Assert
        Assert.Equal([NotAllowed200, Load("/api/x")], console);
    }

    [Fact]
    public void PredictConsole_PreflightPassesActualLacksAllowOrigin_IsNotAllowed()
    {
        // Act
        var console = WebKitMessages.PredictConsole(Scenario.Request("/api/x", "PUT"), Scenario.Allow(("Access-Control-Allow-Methods", "PUT")), Scenario.Response(200));

        // Assert
        Assert.Equal([NotAllowed200, Load("/api/x")], console);
    }

    [Fact]
    public void PredictConsole_RedirectWithoutAllowOrigin_NamesTheTargetAndTheFirstUrl()
    {
        // Act
        var console = WebKitMessages.PredictConsole(Scenario.Request("/api/x"), null, Scenario.Response(302, ("Location", "/target")));

        // Assert
        Assert.Equal(
            [
                "Cross-origin redirection to http://127.0.0.1:8002/target denied by Cross-Origin Resource Sharing policy: Origin http://127.0.0.1:8001 is not allowed by Access-Control-Allow-Origin. Status code: 302",
                Load("/api/x"),
            ],
            console);
    }

    [Fact]
    public void PredictConsole_RedirectToALocationThatDoesNotResolve_PrintsItAsSent()
    {
        // Act
        var console = WebKitMessages.PredictConsole(Scenario.Request("/api/x"), null, Scenario.Response(302, ("Location", "http://[bad")));

        // Assert
        Assert.Equal(
            "Cross-origin redirection to http://[bad denied by Cross-Origin Resource Sharing policy: Origin http://127.0.0.1:8001 is not allowed by Access-Control-Allow-Origin. Status code: 302",
            console[0]);
    }

    [Fact]
    public void PredictConsole_HopAfterCrossOriginRedirect_SaysOriginNullAndTheHopsUrl()
    {
        // Arrange
        var request = new BrowserRequest("http://127.0.0.1:8003/echo", Scenario.Page) { RedirectedFrom = Scenario.Api + "/api/x", OriginTainted = true };

        // Act
        var console = WebKitMessages.PredictConsole(request, null, Scenario.Allow());

        // Assert
        Assert.Equal(
            ["Origin null is not allowed by Access-Control-Allow-Origin. Status code: 200", "Fetch API cannot load http://127.0.0.1:8003/echo due to access control checks."],
            console);
    }

    [Fact]
    public void PredictConsole_XmlHttpRequest_SaysXmlHttpRequestCannotLoad()
    {
        // Arrange
        var request = Scenario.Request("/api/x", "PUT") with { Initiator = RequestInitiator.XmlHttpRequest };

        // Act
        var console = WebKitMessages.PredictConsole(request, Scenario.Allow(("Access-Control-Allow-Methods", "GET")), null);

        // Assert
        Assert.Equal(
            ["Method PUT is not allowed by Access-Control-Allow-Methods.", "XMLHttpRequest cannot load http://127.0.0.1:8002/api/x due to access control checks."],
            console);
    }

    [Fact]
    public void PredictConsole_SameOrigin_IsEmpty()
    {
        // Act
        var console = WebKitMessages.PredictConsole(new BrowserRequest(Scenario.Page + "/x", Scenario.Page), null, Scenario.Response(200));

        // Assert
        Assert.Empty(console);
    }

    [Fact]
    public void Evaluate_PreflightNotFoundWithoutAllowOrigin_WebKitNamesTheStatusChromiumTheHeader()
    {
        // Act
        var verdict = BrowserModel.Evaluate(Scenario.Request("/api/x", "PUT"), Scenario.Response(404), null);

        // Assert
        Assert.Equal(CorsFailure.MissingAllowOrigin, verdict.Check.Failure);
        Assert.Equal("Preflight response is not successful. Status code: 404", verdict.WebKitMessage);
        Assert.Equal(["Preflight response is not successful. Status code: 404", Load("/api/x")], verdict.WebKitConsole);
    }

    [Fact]
    public void Evaluate_AllowOriginWithASpace_WebKitSaysNotAllowedChromiumMultiple()
    {
        // Act
        var verdict = BrowserModel.Evaluate(Scenario.Request("/api/x"), null, Scenario.Response(200, ("Access-Control-Allow-Origin", Scenario.Page + " http://a.example")));

        // Assert
        Assert.Equal(CorsFailure.MultipleAllowOriginValues, verdict.Check.Failure);
        Assert.Equal(NotAllowed200, verdict.WebKitMessage);
    }

    [Fact]
    public void Evaluate_Allowed_HasNoWebKitLines()
    {
        // Act
        var verdict = BrowserModel.Evaluate(Scenario.Request("/api/x"), null, Scenario.Allow());

        // Assert
        Assert.True(verdict.IsAllowed);
        Assert.Null(verdict.WebKitMessage);
        Assert.Empty(verdict.WebKitConsole);
    }

    [Fact]
    public void Evaluate_AllowedXhrWithACookieHeader_WebKitLogsOnlyTheRefusal()
    {
        // Arrange
        var request = Scenario.Request("/api/x", "GET", ("Cookie", "forged=1")) with { Initiator = RequestInitiator.XmlHttpRequest };

        // Act
        var verdict = BrowserModel.Evaluate(request, null, Scenario.Allow());

        // Assert
        Assert.True(verdict.IsAllowed);
        Assert.Null(verdict.WebKitMessage);
        Assert.Equal(["Refused to set unsafe header \"Cookie\""], verdict.WebKitConsole);
    }

    [Fact]
    public void Evaluate_303AfterPreflightedPut_WarnsThatWebKitPreflightsTheGetToo()
    {
        // Arrange
        var preflight = Scenario.Allow(("Access-Control-Allow-Methods", "PUT"));
        var actual = Scenario.Response(303, ("Access-Control-Allow-Origin", Scenario.Page), ("Location", "/api/b"));

        // Act
        var verdict = BrowserModel.Evaluate(Scenario.Request("/api/a", "PUT"), preflight, actual);

        // Assert
        Assert.Equal(BrowserOutcome.Redirected, verdict.Outcome);
        Assert.Equal("GET", verdict.NextRequest!.Method);
        Assert.Equal(
            ["WebKit (Safari) preflights the redirected GET request too, because the first one needed a preflight; an OPTIONS request that http://127.0.0.1:8002/api/b does not answer with CORS headers blocks it in Safari only"],
            verdict.Warnings);
    }

    [Fact]
    public void Evaluate_307AfterPreflightedPut_NoWebKitWarningAsEveryEnginePreflightsThePut()
    {
        // Arrange
        var preflight = Scenario.Allow(("Access-Control-Allow-Methods", "PUT"));
        var actual = Scenario.Response(307, ("Access-Control-Allow-Origin", Scenario.Page), ("Location", "/api/b"));

        // Act
        var verdict = BrowserModel.Evaluate(Scenario.Request("/api/a", "PUT"), preflight, actual);

        // Assert
        Assert.Equal("PUT", verdict.NextRequest!.Method);
        Assert.Empty(verdict.Warnings);
    }

    private static BrowserRequest Credentialed(string path) => Scenario.Request(path) with { Credentials = CredentialsMode.Include };

    private static string Load(string path) => $"Fetch API cannot load {Scenario.Api}{path} due to access control checks.";
}

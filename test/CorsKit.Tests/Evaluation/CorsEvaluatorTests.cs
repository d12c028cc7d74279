using System.Text.RegularExpressions;
using CorsKit.Evaluation;
using CorsKit.Policies;

namespace CorsKit.Tests.Evaluation;

public sealed class CorsEvaluatorTests
{
    private const string App = "https://app.example.com";

    // Listed origin, methods and headers, credentials: the usual single-page-app policy.
    private static readonly CorsPolicy Spa = new CorsPolicyBuilder("spa")
        .WithOrigins(App)
        .WithMethods("PUT", "DELETE")
        .WithHeaders("Content-Type", "X-Api-Key")
        .WithExposedHeaders("X-Total-Count")
        .AllowCredentials()
        .WithMaxAge(TimeSpan.FromMinutes(10))
        .Build();

    // Listed origin, anything else echoed.
    private static readonly CorsPolicy Echo = new CorsPolicyBuilder("echo")
        .WithOrigins(App)
        .AllowAnyMethod()
        .AllowAnyHeader()
        .AllowCredentials()
        .Build();

    // A public API: '*' and nothing that depends on the request's origin.
    private static readonly CorsPolicy Public = new CorsPolicyBuilder("public")
        .AllowAnyOrigin()
        .WithMethods("PUT")
        .WithHeaders("X-Api-Key")
        .WithExposedHeaders("X-Total-Count")
        .Build();

    // Only the safelisted methods and no listed header.
    private static readonly CorsPolicy Minimal = new CorsPolicyBuilder("minimal").WithOrigins(App).Build();

    [Fact]
    public void Evaluate_NullPolicy_Throws()
    {
        // Act
        var ex = Assert.Throws<ArgumentNullException>(() => CorsEvaluator.Evaluate(null!, Requests.Actual(App)));

        // Assert
        Assert.Equal("policy", ex.ParamName);
    }

    [Fact]
    public void Evaluate_NoOrigin_NotCorsAndVariesOnOrigin()
    {
        // Act
        var decision = CorsEvaluator.Evaluate(Spa, Requests.Actual(null));

        // Assert
        Assert.Equal(new Verdict(CorsOutcome.NotCors, false), Verdict.Of(decision));
        Assert.Equal(SentHeaders.VaryOriginOnly, SentHeaders.Of(decision));
        Assert.False(decision.IsAllowed);
        Assert.False(decision.HasCorsHeaders);
        Assert.Same(Spa, decision.Policy);
    }

    [Fact]
    public void Evaluate_NoOriginAnyOriginWithoutCredentials_NotCorsButStarWithoutVary()
    {
        // Act
        var decision = CorsEvaluator.Evaluate(Public, Requests.Actual(null));

        // Assert: Fetch, "CORS protocol and HTTP caches": '*' on every response, so a cached plain answer serves any origin.
        Assert.Equal(new Verdict(CorsOutcome.NotCors, false), Verdict.Of(decision));
        Assert.Equal(new SentHeaders(AllowOrigin: "*", ExposeHeaders: "X-Total-Count"), SentHeaders.Of(decision));
    }

    [Fact]
    public void Evaluate_OptionsWithRequestMethodButNoOrigin_NotCorsAndNotAPreflight()
    {
        // Act
        var decision = CorsEvaluator.Evaluate(Spa, Requests.Preflight(null, "PUT", "x-api-key"));

        // Assert
        Assert.Equal(new Verdict(CorsOutcome.NotCors, false), Verdict.Of(decision));
        Assert.Equal(SentHeaders.VaryOriginOnly, SentHeaders.Of(decision));
    }

    [Fact]
    public void Evaluate_SimpleRequestFromAllowedOrigin_EchoesOriginWithCredentialsExposeAndVary()
    {
        // Act
        var decision = CorsEvaluator.Evaluate(Spa, Requests.Actual(App));

        // Assert
        Assert.Equal(Verdict.AllowedActual, Verdict.Of(decision));
        Assert.Equal(new SentHeaders(AllowOrigin: App, AllowCredentials: true, ExposeHeaders: "X-Total-Count", Vary: VaryOn.Origin), SentHeaders.Of(decision));
        Assert.True(decision.IsAllowed);
        Assert.True(decision.HasCorsHeaders);
        Assert.Null(decision.Error);
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("POST")]
    [InlineData("DELETE")]
    [InlineData("OPTIONS")]
    public void Evaluate_ActualRequestAnyMethod_MethodIsNotCheckedOnActualRequests(string method)
    {
        // Act: the browser enforces methods at the preflight; the actual request only needs the origin answer.
        var decision = CorsEvaluator.Evaluate(Minimal, Requests.Actual(App, method));

        // Assert
        Assert.Equal(Verdict.AllowedActual, Verdict.Of(decision));
        Assert.Equal(new SentHeaders(AllowOrigin: App, Vary: VaryOn.Origin), SentHeaders.Of(decision));
    }

    [Fact]
    public void Evaluate_NonOptionsRequestWithRequestMethodHeader_IsAnActualRequest()
    {
        // Arrange
        var request = new CorsRequest("PUT", App, "PATCH", "x-token");

        // Act
        var decision = CorsEvaluator.Evaluate(Spa, request);

        // Assert
        Assert.Equal(Verdict.AllowedActual, Verdict.Of(decision));
        Assert.Equal(new SentHeaders(AllowOrigin: App, AllowCredentials: true, ExposeHeaders: "X-Total-Count", Vary: VaryOn.Origin), SentHeaders.Of(decision));
    }

    [Fact]
    public void Evaluate_SimpleRequestAnyOrigin_SendsStarWithoutVary()
    {
        // Act
        var decision = CorsEvaluator.Evaluate(Public, Requests.Actual("https://anyone.example.net"));

        // Assert
        Assert.Equal(Verdict.AllowedActual, Verdict.Of(decision));
        Assert.Equal(new SentHeaders(AllowOrigin: "*", ExposeHeaders: "X-Total-Count"), SentHeaders.Of(decision));
    }

    [Fact]
    public void Evaluate_NullOriginAnyOrigin_SendsStar()
    {
        // Act
        var decision = CorsEvaluator.Evaluate(Public, Requests.Actual("null"));

        // Assert
        Assert.Equal(Verdict.AllowedActual, Verdict.Of(decision));
        Assert.Equal(new SentHeaders(AllowOrigin: "*", ExposeHeaders: "X-Total-Count"), SentHeaders.Of(decision));
    }

    [Fact]
    public void Evaluate_NullOriginNotListed_RejectedAsNotAllowed()
    {
        // Act
        var decision = CorsEvaluator.Evaluate(Spa, Requests.Actual("null"));

        // Assert
        Assert.Equal(Verdict.RejectedActual(RejectionReason.OriginNotAllowed, "null"), Verdict.Of(decision));
        Assert.Equal(SentHeaders.VaryOriginOnly, SentHeaders.Of(decision));
    }

    [Fact]
    public void Evaluate_NullOriginListed_EchoesNull()
    {
        // Arrange: without credentials (the builder refuses "null" with them).
        var policy = new CorsPolicyBuilder("sandbox").WithOrigins("null").Build();

        // Act
        var decision = CorsEvaluator.Evaluate(policy, Requests.Actual("null"));

        // Assert
        Assert.Equal(Verdict.AllowedActual, Verdict.Of(decision));
        Assert.Equal(new SentHeaders(AllowOrigin: "null", Vary: VaryOn.Origin), SentHeaders.Of(decision));
    }

    [Theory]
    [InlineData("https://evil.com")]
    [InlineData("https://app.example.com.evil.com")]
    [InlineData("https://evilapp.example.com")]
    [InlineData("http://app.example.com")]
    [InlineData("https://app.example.com:8443")]
    public void Evaluate_SimpleRequestFromOtherOrigin_NoCorsHeadersButVaryOrigin(string origin)
    {
        // Act
        var decision = CorsEvaluator.Evaluate(Spa, Requests.Actual(origin));

        // Assert
        Assert.Equal(Verdict.RejectedActual(RejectionReason.OriginNotAllowed, origin), Verdict.Of(decision));
        Assert.Equal(SentHeaders.VaryOriginOnly, SentHeaders.Of(decision));
        Assert.False(decision.HasCorsHeaders);
    }

    [Fact]
    public void Evaluate_PreflightFromOtherOrigin_NoCorsHeadersButVaryOrigin()
    {
        // Act
        var decision = CorsEvaluator.Evaluate(Spa, Requests.Preflight("https://evil.com", "PUT", "x-api-key"));

        // Assert
        Assert.Equal(Verdict.RejectedPreflight(RejectionReason.OriginNotAllowed, "https://evil.com"), Verdict.Of(decision));
        Assert.Equal(SentHeaders.VaryOriginOnly, SentHeaders.Of(decision));
    }

    [Fact]
    public void Evaluate_PreflightAllowed_SendsThePolicysListsMaxAgeAndVary()
    {
        // Act
        var decision = CorsEvaluator.Evaluate(Spa, Requests.Preflight(App, "PUT", "content-type,x-api-key"));

        // Assert
        Assert.Equal(Verdict.AllowedPreflight, Verdict.Of(decision));
        Assert.Equal(
            new SentHeaders(AllowOrigin: App, AllowCredentials: true, AllowMethods: "PUT,DELETE", AllowHeaders: "content-type,x-api-key", MaxAge: "600", Vary: VaryOn.Origin),
            SentHeaders.Of(decision));
    }

    [Fact]
    public void Evaluate_PreflightWithoutRequestHeaders_Allowed()
    {
        // Act
        var decision = CorsEvaluator.Evaluate(Spa, Requests.Preflight(App, "DELETE"));

        // Assert
        Assert.Equal(Verdict.AllowedPreflight, Verdict.Of(decision));
        Assert.Equal(
            new SentHeaders(AllowOrigin: App, AllowCredentials: true, AllowMethods: "PUT,DELETE", AllowHeaders: "content-type,x-api-key", MaxAge: "600", Vary: VaryOn.Origin),
            SentHeaders.Of(decision));
    }

    [Fact]
    public void Evaluate_PreflightAnyOrigin_SendsStarAndNoVaryOnOrigin()
    {
        // Act
        var decision = CorsEvaluator.Evaluate(Public, Requests.Preflight("https://anyone.example.net", "PUT", "x-api-key"));

        // Assert
        Assert.Equal(Verdict.AllowedPreflight, Verdict.Of(decision));
        Assert.Equal(new SentHeaders(AllowOrigin: "*", AllowMethods: "PUT", AllowHeaders: "x-api-key"), SentHeaders.Of(decision));
    }

    [Fact]
    public void Evaluate_PreflightAnyMethod_EchoesTheRequestedMethodAndVariesOnIt()
    {
        // Act
        var decision = CorsEvaluator.Evaluate(Echo, Requests.Preflight(App, "PURGE"));

        // Assert
        Assert.Equal(Verdict.AllowedPreflight, Verdict.Of(decision));
        Assert.Equal(new SentHeaders(AllowOrigin: App, AllowCredentials: true, AllowMethods: "PURGE", Vary: VaryOn.Origin | VaryOn.RequestMethod), SentHeaders.Of(decision));
    }

    [Fact]
    public void Evaluate_PreflightAnyHeader_EchoesTheRequestedHeadersAndVariesOnThem()
    {
        // Act
        var decision = CorsEvaluator.Evaluate(Echo, Requests.Preflight(App, "PUT", "authorization,x-token"));

        // Assert
        Assert.Equal(Verdict.AllowedPreflight, Verdict.Of(decision));
        Assert.Equal(
            new SentHeaders(AllowOrigin: App, AllowCredentials: true, AllowMethods: "PUT", AllowHeaders: "authorization,x-token", Vary: VaryOn.Origin | VaryOn.RequestMethod | VaryOn.RequestHeaders),
            SentHeaders.Of(decision));
    }

    [Fact]
    public void Evaluate_PreflightAnyHeaderWithSpacesAndCase_EchoesTheValueAsSent()
    {
        // Act
        var decision = CorsEvaluator.Evaluate(Echo, Requests.Preflight(App, "PUT", "X-Token, Content-Type"));

        // Assert
        Assert.Equal(Verdict.AllowedPreflight, Verdict.Of(decision));
        Assert.Equal("X-Token, Content-Type", decision.AllowHeaders);
    }

    [Fact]
    public void Evaluate_PreflightAnyOriginMethodAndHeader_VariesOnlyOnTheEchoedRequestHeaders()
    {
        // Arrange
        var policy = new CorsPolicyBuilder("open").AllowAnyOrigin().AllowAnyMethod().AllowAnyHeader().Build();

        // Act
        var decision = CorsEvaluator.Evaluate(policy, Requests.Preflight("https://anyone.example.net", "PATCH", "x-token"));

        // Assert
        Assert.Equal(Verdict.AllowedPreflight, Verdict.Of(decision));
        Assert.Equal(new SentHeaders(AllowOrigin: "*", AllowMethods: "PATCH", AllowHeaders: "x-token", Vary: VaryOn.RequestMethod | VaryOn.RequestHeaders), SentHeaders.Of(decision));
    }

    [Fact]
    public void Evaluate_PreflightDisallowedMethod_RejectedWithTheOriginAndThePolicysLists()
    {
        // Act
        var decision = CorsEvaluator.Evaluate(Spa, Requests.Preflight(App, "PATCH", "x-api-key"));

        // Assert: the browser then names the method in its console; no max-age so nothing is cached.
        Assert.Equal(Verdict.RejectedPreflight(RejectionReason.MethodNotAllowed, "PATCH"), Verdict.Of(decision));
        Assert.Equal(
            new SentHeaders(AllowOrigin: App, AllowCredentials: true, AllowMethods: "PUT,DELETE", AllowHeaders: "content-type,x-api-key", Vary: VaryOn.Origin),
            SentHeaders.Of(decision));
        Assert.True(decision.HasCorsHeaders);
        Assert.False(decision.IsAllowed);
    }

    [Fact]
    public void Evaluate_PreflightDisallowedHeader_RejectedWithTheOriginAndThePolicysLists()
    {
        // Act
        var decision = CorsEvaluator.Evaluate(Spa, Requests.Preflight(App, "PUT", "content-type,x-token"));

        // Assert
        Assert.Equal(Verdict.RejectedPreflight(RejectionReason.HeaderNotAllowed, "x-token"), Verdict.Of(decision));
        Assert.Equal(
            new SentHeaders(AllowOrigin: App, AllowCredentials: true, AllowMethods: "PUT,DELETE", AllowHeaders: "content-type,x-api-key", Vary: VaryOn.Origin),
            SentHeaders.Of(decision));
    }

    [Fact]
    public void Evaluate_PreflightDisallowedHeaderInUpperCase_RejectedValueIsLowerCase()
    {
        // Act
        var decision = CorsEvaluator.Evaluate(Spa, Requests.Preflight(App, "PUT", "X-Token"));

        // Assert
        Assert.Equal(Verdict.RejectedPreflight(RejectionReason.HeaderNotAllowed, "x-token"), Verdict.Of(decision));
    }

    [Fact]
    public void Evaluate_PreflightAnyMethodButDisallowedHeader_EchoesTheAllowedMethodSoTheBrowserBlamesTheHeader()
    {
        // Arrange
        var policy = new CorsPolicyBuilder("api").WithOrigins(App).AllowAnyMethod().WithHeaders("x-api-key").Build();

        // Act
        var decision = CorsEvaluator.Evaluate(policy, Requests.Preflight(App, "PATCH", "x-token"));

        // Assert
        Assert.Equal(Verdict.RejectedPreflight(RejectionReason.HeaderNotAllowed, "x-token"), Verdict.Of(decision));
        // PATCH is allowed (any method), so it is echoed: without it Chromium would report the method, not x-token.
        Assert.Equal(new SentHeaders(AllowOrigin: App, AllowMethods: "PATCH", AllowHeaders: "x-api-key", Vary: VaryOn.Origin | VaryOn.RequestMethod), SentHeaders.Of(decision));
    }

    [Fact]
    public void Evaluate_PreflightDisallowedMethodAnyOrigin_SendsStarAndTheListsWithoutVary()
    {
        // Act
        var decision = CorsEvaluator.Evaluate(Public, Requests.Preflight("https://anyone.example.net", "DELETE"));

        // Assert
        Assert.Equal(Verdict.RejectedPreflight(RejectionReason.MethodNotAllowed, "DELETE"), Verdict.Of(decision));
        Assert.Equal(new SentHeaders(AllowOrigin: "*", AllowMethods: "PUT", AllowHeaders: "x-api-key"), SentHeaders.Of(decision));
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("HEAD")]
    [InlineData("POST")]
    public void Evaluate_PreflightSafelistedMethodNotListed_Allowed(string method)
    {
        // Act: a preflight for a safelisted method happens when a header needs it; the method itself needs no listing.
        var decision = CorsEvaluator.Evaluate(Spa, Requests.Preflight(App, method, "x-api-key"));

        // Assert
        Assert.Equal(Verdict.AllowedPreflight, Verdict.Of(decision));
        Assert.Equal(
            new SentHeaders(AllowOrigin: App, AllowCredentials: true, AllowMethods: "PUT,DELETE", AllowHeaders: "content-type,x-api-key", MaxAge: "600", Vary: VaryOn.Origin),
            SentHeaders.Of(decision));
    }

    [Fact]
    public void Evaluate_PreflightSafelistedMethodAndNoLists_AllowedWithoutMethodOrHeaderLists()
    {
        // Act
        var decision = CorsEvaluator.Evaluate(Minimal, Requests.Preflight(App, "POST"));

        // Assert
        Assert.Equal(Verdict.AllowedPreflight, Verdict.Of(decision));
        Assert.Equal(new SentHeaders(AllowOrigin: App, Vary: VaryOn.Origin), SentHeaders.Of(decision));
    }

    [Theory]
    [InlineData("get")]
    [InlineData("Post")]
    [InlineData("head")]
    public void Evaluate_PreflightSafelistedMethodInOtherCase_NotSafelisted(string method)
    {
        // Act: methods compare case-sensitively; only "GET", "HEAD", "POST" are safelisted.
        var decision = CorsEvaluator.Evaluate(Minimal, Requests.Preflight(App, method));

        // Assert
        Assert.Equal(Verdict.RejectedPreflight(RejectionReason.MethodNotAllowed, method), Verdict.Of(decision));
        Assert.Equal(new SentHeaders(AllowOrigin: App, Vary: VaryOn.Origin), SentHeaders.Of(decision));
    }

    [Theory]
    [InlineData("PATCH", true)]
    [InlineData("patch", false)]
    [InlineData("Patch", false)]
    public void Evaluate_PreflightMethodListedUpperCase_MatchesOnlyThatCase(string method, bool allowed)
    {
        // Arrange
        var policy = new CorsPolicyBuilder("api").WithOrigins(App).WithMethods("PATCH").Build();

        // Act
        var decision = CorsEvaluator.Evaluate(policy, Requests.Preflight(App, method));

        // Assert
        Assert.Equal(allowed, decision.IsAllowed);
        Assert.Equal(allowed ? RejectionReason.None : RejectionReason.MethodNotAllowed, decision.Reason);
        Assert.Equal("PATCH", decision.AllowMethods);
    }

    [Theory]
    [InlineData("patch", true)]
    [InlineData("PATCH", false)]
    public void Evaluate_PreflightMethodListedLowerCase_MatchesWhatFetchSends(string method, bool allowed)
    {
        // Arrange: fetch("...", { method: "patch" }) sends "patch", so a policy must list "patch" for it.
        var policy = new CorsPolicyBuilder("api").WithOrigins(App).WithMethods("patch").Build();

        // Act
        var decision = CorsEvaluator.Evaluate(policy, Requests.Preflight(App, method));

        // Assert
        Assert.Equal(allowed, decision.IsAllowed);
        Assert.Equal(allowed ? null : method, decision.RejectedValue);
        Assert.Equal("patch", decision.AllowMethods);
    }

    [Theory]
    [InlineData("x-api-key")]
    [InlineData("X-API-KEY")]
    [InlineData("X-Api-Key,CONTENT-TYPE")]
    [InlineData(" x-api-key , content-type ")]
    [InlineData("x-api-key,\tcontent-type")]
    public void Evaluate_PreflightHeaderNames_ComparedIgnoringCaseAndOptionalWhiteSpace(string headers)
    {
        // Act
        var decision = CorsEvaluator.Evaluate(Spa, Requests.Preflight(App, "PUT", headers));

        // Assert
        Assert.Equal(Verdict.AllowedPreflight, Verdict.Of(decision));
        Assert.Equal("content-type,x-api-key", decision.AllowHeaders);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData(" \t ")]
    public void Evaluate_PreflightEmptyRequestHeaders_AsksForNothing(string headers)
    {
        // Act
        var decision = CorsEvaluator.Evaluate(Minimal, Requests.Preflight(App, "GET", headers));

        // Assert
        Assert.Equal(Verdict.AllowedPreflight, Verdict.Of(decision));
        Assert.Equal(new SentHeaders(AllowOrigin: App, Vary: VaryOn.Origin), SentHeaders.Of(decision));
    }

    [Fact]
    public void Evaluate_PreflightEmptyRequestHeadersAnyHeader_EchoesNothingAndDoesNotVaryOnThem()
    {
        // Act
        var decision = CorsEvaluator.Evaluate(Echo, Requests.Preflight(App, "PUT", string.Empty));

        // Assert
        Assert.Equal(Verdict.AllowedPreflight, Verdict.Of(decision));
        Assert.Equal(new SentHeaders(AllowOrigin: App, AllowCredentials: true, AllowMethods: "PUT", Vary: VaryOn.Origin | VaryOn.RequestMethod), SentHeaders.Of(decision));
    }

    [Theory]
    [InlineData("https://app.example.com, https://app.example.com")]   // two Origin lines joined
    [InlineData("https://app.example.com,https://evil.com")]
    [InlineData("HTTPS://APP.EXAMPLE.COM")]
    [InlineData("https://App.example.com")]
    [InlineData("https://app.example.com/")]
    [InlineData("https://app.example.com:443")]
    [InlineData("https://app.example.com\t")]
    [InlineData("https://user@app.example.com")]
    [InlineData("app.example.com")]
    [InlineData("")]
    public void Evaluate_MalformedOrigin_RejectedWithoutAnyCorsHeader(string origin)
    {
        // Act
        var actual = CorsEvaluator.Evaluate(Spa, Requests.Actual(origin));
        var preflight = CorsEvaluator.Evaluate(Spa, Requests.Preflight(origin, "PUT"));

        // Assert
        Assert.Equal(Verdict.RejectedActual(RejectionReason.OriginMalformed), Verdict.Of(actual));
        Assert.Equal(SentHeaders.VaryOriginOnly, SentHeaders.Of(actual));
        Assert.Equal(Verdict.RejectedPreflight(RejectionReason.OriginMalformed), Verdict.Of(preflight));
        Assert.Equal(SentHeaders.VaryOriginOnly, SentHeaders.Of(preflight));
    }

    [Fact]
    public void Evaluate_OriginLongerThan2048_RejectedAsMalformed()
    {
        // Arrange: a wildcard would accept it if the length were not checked first.
        var policy = new CorsPolicyBuilder("wide").WithOrigins("https://*.example.com").SetIsOriginAllowedToAllowWildcardSubdomains().Build();
        var origin = "https://" + new string('a', 2029) + ".example.com";

        // Act
        var decision = CorsEvaluator.Evaluate(policy, Requests.Actual(origin));

        // Assert
        Assert.Equal(2049, origin.Length);
        Assert.Equal(Verdict.RejectedActual(RejectionReason.OriginMalformed), Verdict.Of(decision));
        Assert.Equal(SentHeaders.VaryOriginOnly, SentHeaders.Of(decision));
    }

    [Fact]
    public void Evaluate_OriginOfExactly2048_Evaluated()
    {
        // Arrange
        var policy = new CorsPolicyBuilder("wide").WithOrigins("https://*.example.com").SetIsOriginAllowedToAllowWildcardSubdomains().Build();
        var origin = "https://" + new string('a', 2028) + ".example.com";

        // Act
        var decision = CorsEvaluator.Evaluate(policy, Requests.Actual(origin));

        // Assert
        Assert.Equal(2048, origin.Length);
        Assert.Equal(Verdict.AllowedActual, Verdict.Of(decision));
        Assert.Equal(origin, decision.AllowOrigin);
    }

    [Fact]
    public void Evaluate_OriginLongerThan2048AnyOrigin_StillAnswersStar()
    {
        // Act: '*' is the same answer for everyone, whatever the value, so a shared cache can serve it to any origin.
        var decision = CorsEvaluator.Evaluate(Public, Requests.Actual("https://" + new string('a', 2041)));

        // Assert
        Assert.Equal(new Verdict(CorsOutcome.Allowed, false), Verdict.Of(decision));
        Assert.Equal(new SentHeaders(AllowOrigin: "*", ExposeHeaders: "X-Total-Count"), SentHeaders.Of(decision));
    }

    [Theory]
    [InlineData("https://a.example.com, https://b.example.com")]
    [InlineData("HTTPS://APP.EXAMPLE.COM")]
    public void Evaluate_MalformedOriginAnyOrigin_StillAnswersStar(string origin)
    {
        // Act: '*' is the same answer for everyone, so an any-origin policy does not inspect the value.
        var decision = CorsEvaluator.Evaluate(Public, Requests.Actual(origin));

        // Assert
        Assert.Equal(Verdict.AllowedActual, Verdict.Of(decision));
        Assert.Equal(new SentHeaders(AllowOrigin: "*", ExposeHeaders: "X-Total-Count"), SentHeaders.Of(decision));
    }

    [Theory]
    [InlineData("")]
    [InlineData("GET POST")]
    [InlineData("PUT,DELETE")]
    [InlineData(" PUT")]
    [InlineData("P(UT")]
    [InlineData("PÜT")]
    public void Evaluate_PreflightMalformedRequestMethod_RejectedWithoutAnyCorsHeader(string method)
    {
        // Act
        var decision = CorsEvaluator.Evaluate(Echo, Requests.Preflight(App, method));

        // Assert
        Assert.Equal(Verdict.RejectedPreflight(RejectionReason.MethodMalformed), Verdict.Of(decision));
        Assert.Equal(SentHeaders.VaryOriginOnly, SentHeaders.Of(decision));
    }

    [Theory]
    [InlineData("x-api-key,,content-type")]   // empty item
    [InlineData(",x-api-key")]                // leading comma
    [InlineData("x-api-key,")]                // trailing comma
    [InlineData("x-api-key, ")]
    [InlineData("x-api-key, ,content-type")]
    [InlineData(",")]
    [InlineData("x api-key")]                 // not a token
    [InlineData("x-api-key;q=1")]
    [InlineData("x-api-key:1")]
    [InlineData("x-äpi")]
    public void Evaluate_PreflightMalformedRequestHeaders_RejectedWithoutAnyCorsHeader(string headers)
    {
        // Act
        var listed = CorsEvaluator.Evaluate(Spa, Requests.Preflight(App, "PUT", headers));
        var any = CorsEvaluator.Evaluate(Echo, Requests.Preflight(App, "PUT", headers));

        // Assert: no CORS header. The any-method policy keeps the Vary it had gathered (harmless over-varying).
        Assert.Equal(Verdict.RejectedPreflight(RejectionReason.HeadersMalformed), Verdict.Of(listed));
        Assert.Equal(SentHeaders.VaryOriginOnly, SentHeaders.Of(listed));
        Assert.Equal(Verdict.RejectedPreflight(RejectionReason.HeadersMalformed), Verdict.Of(any));
        Assert.Equal(new SentHeaders(Vary: VaryOn.Origin | VaryOn.RequestMethod), SentHeaders.Of(any));
    }

    [Fact]
    public void Evaluate_PreflightRequestHeadersLongerThanTheLimit_RejectedAsMalformed()
    {
        // Arrange
        var headers = string.Join(",", Enumerable.Range(0, 2000).Select(i => $"x-h{i:D4}"));

        // Act
        var decision = CorsEvaluator.Evaluate(Spa, Requests.Preflight(App, "PUT", headers));

        // Assert
        Assert.True(headers.Length > CorsEvaluator.MaxRequestHeadersLength);
        Assert.Equal(Verdict.RejectedPreflight(RejectionReason.HeadersMalformed), Verdict.Of(decision));
        Assert.Equal(SentHeaders.VaryOriginOnly, SentHeaders.Of(decision));
    }

    [Fact]
    public void Evaluate_PreflightRequestHeadersAtTheLimit_Evaluated()
    {
        // Arrange
        var headers = "x-" + new string('a', CorsEvaluator.MaxRequestHeadersLength - 2);

        // Act
        var decision = CorsEvaluator.Evaluate(Echo, Requests.Preflight(App, "PUT", headers));

        // Assert
        Assert.Equal(8192, headers.Length);
        Assert.Equal(Verdict.AllowedPreflight, Verdict.Of(decision));
        Assert.Equal(headers, decision.AllowHeaders);
    }

    [Fact]
    public void Evaluate_PreflightMalformedMethodAndHeaders_MethodReportedFirst()
    {
        // Act
        var decision = CorsEvaluator.Evaluate(Spa, Requests.Preflight(App, "GET POST", "a,,b"));

        // Assert
        Assert.Equal(Verdict.RejectedPreflight(RejectionReason.MethodMalformed), Verdict.Of(decision));
    }

    [Fact]
    public void Evaluate_PreflightDisallowedMethodAndHeader_MethodReportedFirst()
    {
        // Act
        var decision = CorsEvaluator.Evaluate(Spa, Requests.Preflight(App, "PATCH", "x-token"));

        // Assert
        Assert.Equal(Verdict.RejectedPreflight(RejectionReason.MethodNotAllowed, "PATCH"), Verdict.Of(decision));
    }

    [Fact]
    public void Evaluate_PreflightPrivateNetworkAllowed_AnswersIt()
    {
        // Arrange
        var policy = new CorsPolicyBuilder("device").WithOrigins(App).AllowPrivateNetwork().Build();

        // Act
        var decision = CorsEvaluator.Evaluate(policy, Requests.Preflight(App, "GET", privateNetwork: true));

        // Assert
        Assert.Equal(Verdict.AllowedPreflight, Verdict.Of(decision));
        Assert.Equal(new SentHeaders(AllowOrigin: App, AllowPrivateNetwork: true, Vary: VaryOn.Origin), SentHeaders.Of(decision));
    }

    [Fact]
    public void Evaluate_PreflightPrivateNetworkNotAllowed_RejectedWithOriginAndLists()
    {
        // Act
        var decision = CorsEvaluator.Evaluate(Spa, Requests.Preflight(App, "PUT", "x-api-key", privateNetwork: true));

        // Assert
        Assert.Equal(Verdict.RejectedPreflight(RejectionReason.PrivateNetworkNotAllowed), Verdict.Of(decision));
        Assert.Equal(
            new SentHeaders(AllowOrigin: App, AllowCredentials: true, AllowMethods: "PUT,DELETE", AllowHeaders: "content-type,x-api-key", Vary: VaryOn.Origin),
            SentHeaders.Of(decision));
    }

    [Fact]
    public void Evaluate_PreflightPrivateNetworkNotRequested_NotAnswered()
    {
        // Arrange
        var policy = new CorsPolicyBuilder("device").WithOrigins(App).AllowPrivateNetwork().Build();

        // Act
        var decision = CorsEvaluator.Evaluate(policy, Requests.Preflight(App, "GET"));

        // Assert
        Assert.Equal(Verdict.AllowedPreflight, Verdict.Of(decision));
        Assert.Equal(new SentHeaders(AllowOrigin: App, Vary: VaryOn.Origin), SentHeaders.Of(decision));
    }

    [Fact]
    public void Evaluate_ActualRequestAskingPrivateNetwork_NotAPreflightSoNotAnswered()
    {
        // Arrange
        var request = new CorsRequest("GET", App, RequestsPrivateNetwork: true);

        // Act
        var decision = CorsEvaluator.Evaluate(Spa, request);

        // Assert
        Assert.Equal(Verdict.AllowedActual, Verdict.Of(decision));
        Assert.False(decision.AllowPrivateNetwork);
    }

    [Fact]
    public void Evaluate_PredicateThrows_OriginCheckFailedWithTheExceptionAndNoHeaders()
    {
        // Arrange
        var boom = new InvalidOperationException("tenant store down");
        var policy = new CorsPolicyBuilder("tenants").WithOriginPredicate(_ => throw boom).AllowCredentials().Build();

        // Act
        var actual = CorsEvaluator.Evaluate(policy, Requests.Actual("https://tenant.example.com"));
        var preflight = CorsEvaluator.Evaluate(policy, Requests.Preflight("https://tenant.example.com", "PUT"));

        // Assert
        Assert.Equal(Verdict.RejectedActual(RejectionReason.OriginCheckFailed, "https://tenant.example.com"), Verdict.Of(actual));
        Assert.Same(boom, actual.Error);
        Assert.Equal(SentHeaders.VaryOriginOnly, SentHeaders.Of(actual));
        Assert.Equal(Verdict.RejectedPreflight(RejectionReason.OriginCheckFailed, "https://tenant.example.com"), Verdict.Of(preflight));
        Assert.Same(boom, preflight.Error);
        Assert.Equal(SentHeaders.VaryOriginOnly, SentHeaders.Of(preflight));
    }

    [Fact]
    public void Evaluate_PredicateNotCalledForMalformedOrigin_RejectedAsMalformed()
    {
        // Arrange
        var calls = 0;
        var policy = new CorsPolicyBuilder("tenants").WithOriginPredicate(_ => { calls++; return true; }).Build();

        // Act
        var decision = CorsEvaluator.Evaluate(policy, Requests.Actual("https://Tenant.example.com"));

        // Assert
        Assert.Equal(Verdict.RejectedActual(RejectionReason.OriginMalformed), Verdict.Of(decision));
        Assert.Equal(0, calls);
    }

    [Fact]
    public void Evaluate_PredicateAccepts_EchoesTheOrigin()
    {
        // Arrange
        var policy = new CorsPolicyBuilder("tenants").WithOriginPredicate(o => o.EndsWith(".tenants.example.com", StringComparison.Ordinal)).Build();

        // Act
        var decision = CorsEvaluator.Evaluate(policy, Requests.Actual("https://acme.tenants.example.com"));

        // Assert
        Assert.Equal(Verdict.AllowedActual, Verdict.Of(decision));
        Assert.Equal(new SentHeaders(AllowOrigin: "https://acme.tenants.example.com", Vary: VaryOn.Origin), SentHeaders.Of(decision));
    }

    [Fact]
    public void Evaluate_RegexTimesOut_OriginCheckFailedWithTheTimeout()
    {
        // Arrange: the backreference needs the backtracking engine (allowed explicitly), and "(a+)+" then backtracks exponentially.
        var policy = new CorsPolicyBuilder("slow").WithOriginRegex(@"https://(a+)+\1z").AllowBacktrackingOriginRegex().Build();
        var origin = "https://" + new string('a', 40) + "b";

        // Act
        var decision = CorsEvaluator.Evaluate(policy, Requests.Actual(origin));

        // Assert
        Assert.Equal(Verdict.RejectedActual(RejectionReason.OriginCheckFailed, origin), Verdict.Of(decision));
        Assert.IsType<RegexMatchTimeoutException>(decision.Error);
        Assert.Equal(SentHeaders.VaryOriginOnly, SentHeaders.Of(decision));
    }

    [Theory]
    [InlineData("https://a.example.com", true)]
    [InlineData("https://a.b.example.com", true)]
    [InlineData("https://example.com", false)]
    [InlineData("https://evilexample.com", false)]
    [InlineData("https://example.com.evil.com", false)]
    [InlineData("http://a.example.com", false)]
    [InlineData("https://a.example.com:8443", false)]
    [InlineData("https://a.example.com.", false)]
    public void Evaluate_WildcardPolicy_EchoesOnlyStrictSubdomains(string origin, bool allowed)
    {
        // Arrange
        var policy = new CorsPolicyBuilder("subs").WithOrigins("https://*.example.com").SetIsOriginAllowedToAllowWildcardSubdomains().Build();

        // Act
        var decision = CorsEvaluator.Evaluate(policy, Requests.Actual(origin));

        // Assert
        Assert.Equal(allowed ? Verdict.AllowedActual : Verdict.RejectedActual(RejectionReason.OriginNotAllowed, origin), Verdict.Of(decision));
        Assert.Equal(allowed ? new SentHeaders(AllowOrigin: origin, Vary: VaryOn.Origin) : SentHeaders.VaryOriginOnly, SentHeaders.Of(decision));
    }

    [Fact]
    public void Evaluate_AllowedRequests_AllocateNothing()
    {
        // Arrange
        var wildcard = new CorsPolicyBuilder("subs").WithOrigins(App, "https://*.example.org").SetIsOriginAllowedToAllowWildcardSubdomains().WithMethods("PUT").WithHeaders("x-api-key").Build();
        var actual = Requests.Actual(App);
        var sub = Requests.Actual("https://a.b.example.org");
        var preflight = Requests.Preflight(App, "PUT", "Content-Type, X-Api-Key");
        var echo = Requests.Preflight(App, "PATCH", "x-token,authorization");
        var wildPreflight = Requests.Preflight("https://a.example.org", "PUT", "x-api-key");
        for (var i = 0; i < 3; i++)
        {
            Run();
        }

        // Act
        var before = GC.GetAllocatedBytesForCurrentThread();
        var allowed = Run();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Assert
        Assert.Equal(5, allowed);
        Assert.Equal(0, allocated);

        int Run() =>
            (CorsEvaluator.Evaluate(Spa, actual).IsAllowed ? 1 : 0)
            + (CorsEvaluator.Evaluate(wildcard, sub).IsAllowed ? 1 : 0)
            + (CorsEvaluator.Evaluate(Spa, preflight).IsAllowed ? 1 : 0)
            + (CorsEvaluator.Evaluate(Echo, echo).IsAllowed ? 1 : 0)
            + (CorsEvaluator.Evaluate(wildcard, wildPreflight).IsAllowed ? 1 : 0);
    }

    [Theory]
    [InlineData("GET", true)]
    [InlineData("HEAD", true)]
    [InlineData("POST", true)]
    [InlineData("get", false)]
    [InlineData("PUT", false)]
    [InlineData("OPTIONS", false)]
    [InlineData("", false)]
    public void IsSafelistedMethod_Method_OnlyExactGetHeadPost(string method, bool expected)
    {
        // Act
        var result = CorsEvaluator.IsSafelistedMethod(method);

        // Assert
        Assert.Equal(expected, result);
    }
}

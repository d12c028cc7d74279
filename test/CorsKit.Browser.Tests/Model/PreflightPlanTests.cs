namespace CorsKit.Browser.Tests.Model;

public sealed class PreflightPlanTests
{
    [Theory]
    [InlineData("text/plain;")]
    [InlineData("text/plain;garbage")]
    public void For_WptContentTypeThatParses_NeedsNoPreflight(string contentType)
    {
        // Arrange
        var request = Scenario.Request("/api/x", "POST", ("Content-Type", contentType));

        // Act
        var plan = PreflightPlan.For(request);

        // Assert
        Assert.False(plan.IsRequired);
        Assert.Empty(plan.Reasons);
        Assert.Null(plan.AccessControlRequestHeaders);
    }

    [Theory]
    [InlineData("Content-Type", "text /plain", "content-type text /plain is not a CORS-safelisted value")]
    [InlineData("Content-Type", "text/plain,", "content-type text/plain, is not a CORS-safelisted value")]
    [InlineData("Content-Type", "text/plain,text/plain", "content-type text/plain,text/plain is not a CORS-safelisted value")]
    [InlineData("Range", "bytes=-200", "range bytes=-200 is not a CORS-safelisted value")]
    [InlineData("Range", "bytes=200-100", "range bytes=200-100 is not a CORS-safelisted value")]
    [InlineData("Range", "bytes=100-200,300-400", "range bytes=100-200,300-400 is not a CORS-safelisted value")]
    public void For_WptUnsafeValue_NeedsPreflightNamingTheValue(string name, string value, string reason)
    {
        // Arrange
        var request = Scenario.Request("/api/x", "GET", (name, value));

        // Act
        var plan = PreflightPlan.For(request);

        // Assert
        Assert.True(plan.IsRequired);
        Assert.Equal([reason], plan.Reasons);
        Assert.Equal(name.ToLowerInvariant(), plan.AccessControlRequestHeaders);
    }

    [Fact]
    public void For_PutWithCustomHeaderAndJson_ListsEveryReasonAndTheExactPreflightHeaders()
    {
        // Arrange
        var request = Scenario.Request("/api/x", "put", ("X-Token", "1"), ("Content-Type", "application/json"), ("x-b", "2"));

        // Act
        var plan = PreflightPlan.For(request);

        // Assert
        Assert.True(plan.IsRequired);
        Assert.Equal("PUT", plan.Method);
        Assert.Equal(
            [
                "method PUT is not CORS-safelisted",
                "content-type application/json is not a CORS-safelisted value",
                "header x-b is not CORS-safelisted",
                "header x-token is not CORS-safelisted",
            ],
            plan.Reasons);
        Assert.Equal(
            [
                new HeaderField("Accept", "*/*"),
                new HeaderField("Access-Control-Request-Method", "PUT"),
                new HeaderField("Access-Control-Request-Headers", "content-type,x-b,x-token"),
                new HeaderField("Origin", "http://127.0.0.1:8001"),
            ],
            plan.Headers);
    }

    [Fact]
    public void For_LowerCasePatch_KeepsTheMethodAsWritten()
    {
        // Arrange
        var request = Scenario.Request("/api/x", "patch");

        // Act
        var plan = PreflightPlan.For(request);

        // Assert
        Assert.Equal("patch", plan.Method);
        Assert.Equal(["method patch is not CORS-safelisted"], plan.Reasons);
        Assert.Equal(
            [new HeaderField("Accept", "*/*"), new HeaderField("Access-Control-Request-Method", "patch"), new HeaderField("Origin", "http://127.0.0.1:8001")],
            plan.Headers);
    }

    [Fact]
    public void For_SameOriginRequest_NeedsNoPreflight()
    {
        // Arrange
        var request = new BrowserRequest("http://127.0.0.1:8001/api/x", Scenario.Page) { Method = "DELETE", Headers = [new("X-Token", "1")] };

        // Act
        var plan = PreflightPlan.For(request);

        // Assert
        Assert.False(plan.IsCrossOrigin);
        Assert.False(plan.IsRequired);
        Assert.Equal(["method DELETE is not CORS-safelisted", "header x-token is not CORS-safelisted"], plan.Reasons);
    }

    [Fact]
    public void For_XhrWithUploadListeners_NeedsPreflight()
    {
        // Arrange
        var request = Scenario.Request("/api/x", "POST") with { Initiator = RequestInitiator.XmlHttpRequest, HasUploadListeners = true };

        // Act
        var plan = PreflightPlan.For(request);

        // Assert
        Assert.True(plan.IsRequired);
        Assert.Equal(["XMLHttpRequest has upload listeners"], plan.Reasons);
        Assert.Null(plan.AccessControlRequestHeaders);
    }

    [Fact]
    public void For_ForbiddenHeaders_DropsThemAndLeavesThemOutOfTheList()
    {
        // Arrange
        var request = Scenario.Request("/api/x", "GET", ("Sec-Foo", "1"), ("Proxy-Foo", "1"), ("Cookie", "a=b"), ("DNT", "1"), ("x-ok", "1"));

        // Act
        var plan = PreflightPlan.For(request);

        // Assert
        Assert.Equal(["Sec-Foo", "Proxy-Foo", "Cookie", "DNT"], plan.DroppedHeaders);
        Assert.Equal([new HeaderField("x-ok", "1")], plan.RequestHeaders);
        Assert.Equal("x-ok", plan.AccessControlRequestHeaders);
    }

    [Fact]
    public void For_TwoAcceptHeadersOf100Bytes_JoinsThemLikeChromiumAndNeedsPreflight()
    {
        // Arrange: each is safelisted alone, but Chromium joins them into one 202-byte value (checked in Chromium 156).
        var request = Scenario.Request("/api/x", "GET", ("Accept", new string('a', 100)), ("accept", new string('b', 100)));

        // Act
        var plan = PreflightPlan.For(request);

        // Assert
        Assert.Equal([new HeaderField("Accept", new string('a', 100) + ", " + new string('b', 100))], plan.RequestHeaders);
        Assert.Equal(["accept value is longer than 128 bytes"], plan.Reasons);
        Assert.Equal("accept", plan.AccessControlRequestHeaders);
    }

    [Fact]
    public void For_ValueWithSurroundingWhitespace_IsTrimmedFirst()
    {
        // Arrange
        var request = Scenario.Request("/api/x", "POST", ("Content-Type", " text/plain\t"));

        // Act
        var plan = PreflightPlan.For(request);

        // Assert
        Assert.False(plan.IsRequired);
        Assert.Equal([new HeaderField("Content-Type", "text/plain")], plan.RequestHeaders);
    }

    [Fact]
    public void For_TaintedOrigin_SendsOriginNull()
    {
        // Arrange
        var request = Scenario.Request("/api/x", "PUT") with { OriginTainted = true };

        // Act
        var plan = PreflightPlan.For(request);

        // Assert
        Assert.Equal("null", plan.Origin);
        Assert.Equal(new HeaderField("Origin", "null"), plan.Headers[^1]);
    }
}

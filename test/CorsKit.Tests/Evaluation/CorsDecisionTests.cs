using CorsKit.Evaluation;
using CorsKit.Policies;

namespace CorsKit.Tests.Evaluation;

public sealed class CorsDecisionTests
{
    private const string App = "https://app.example.com";

    private static readonly CorsPolicy Spa = new CorsPolicyBuilder("spa")
        .WithOrigins(App)
        .WithMethods("PUT", "DELETE")
        .WithHeaders("Content-Type", "X-Api-Key")
        .AllowCredentials()
        .Build();

    private static readonly CorsPolicy Minimal = new CorsPolicyBuilder("minimal").WithOrigins(App).Build();

    [Fact]
    public void Explain_Allowed_SaysWhichPolicyAllowed()
    {
        // Arrange
        var decision = CorsEvaluator.Evaluate(Spa, Requests.Actual(App));

        // Act
        var text = decision.Explain();

        // Assert
        Assert.Equal("allowed by policy 'spa'", text);
    }

    [Fact]
    public void Explain_NotCors_SaysThereWasNoOrigin()
    {
        // Arrange
        var decision = CorsEvaluator.Evaluate(Spa, Requests.Actual(null));

        // Act
        var text = decision.Explain();

        // Assert
        Assert.Equal("not a CORS request (no Origin header)", text);
    }

    [Fact]
    public void Explain_OriginNotAllowed_NamesTheOriginAndTheAllowedOnes()
    {
        // Arrange
        var decision = CorsEvaluator.Evaluate(Spa, Requests.Actual("https://evil.com"));

        // Act
        var text = decision.Explain();

        // Assert
        Assert.Equal("origin 'https://evil.com' is not allowed by policy 'spa'; allowed: https://app.example.com", text);
    }

    [Fact]
    public void Explain_OriginNotAllowedByPatterns_ListsEntriesAndMarksPatterns()
    {
        // Arrange
        var policy = new CorsPolicyBuilder("portal").WithOrigins(App, "https://*.example.org").SetIsOriginAllowedToAllowWildcardSubdomains().Build();
        var decision = CorsEvaluator.Evaluate(policy, Requests.Actual("https://example.org"));

        // Act
        var text = decision.Explain();

        // Assert
        Assert.Equal("origin 'https://example.org' is not allowed by policy 'portal'; allowed: https://app.example.com, https://*.example.org, ...", text);
    }

    [Fact]
    public void Explain_NullOriginNotAllowed_NamesNull()
    {
        // Arrange
        var decision = CorsEvaluator.Evaluate(Spa, Requests.Actual("null"));

        // Act
        var text = decision.Explain();

        // Assert
        Assert.Equal("origin 'null' is not allowed by policy 'spa'; allowed: https://app.example.com", text);
    }

    [Fact]
    public void Explain_OriginMalformed_DescribesTheExpectedShapeWithoutEchoingIt()
    {
        // Arrange
        var decision = CorsEvaluator.Evaluate(Spa, Requests.Actual("https://app.example.com, https://evil.com"));

        // Act
        var text = decision.Explain();

        // Assert
        Assert.Equal("the Origin header is not a serialized origin (scheme://host[:port], lower case, one value); policy 'spa' refused it", text);
    }

    [Fact]
    public void Explain_OriginCheckFailed_NamesTheExceptionType()
    {
        // Arrange
        var policy = new CorsPolicyBuilder("tenants").WithOriginPredicate(_ => throw new InvalidOperationException("down")).Build();
        var decision = CorsEvaluator.Evaluate(policy, Requests.Actual(App));

        // Act
        var text = decision.Explain();

        // Assert
        Assert.Equal("the origin check of policy 'tenants' failed (InvalidOperationException); the origin was refused", text);
    }

    [Fact]
    public void Explain_MethodNotAllowed_NamesTheMethodAndTheListedOnes()
    {
        // Arrange
        var decision = CorsEvaluator.Evaluate(Spa, Requests.Preflight(App, "PATCH"));

        // Act
        var text = decision.Explain();

        // Assert
        Assert.Equal("method 'PATCH' is not allowed by policy 'spa'; allowed: PUT, DELETE", text);
    }

    [Fact]
    public void Explain_MethodNotAllowedNoneListed_NamesTheSafelistedOnes()
    {
        // Arrange
        var decision = CorsEvaluator.Evaluate(Minimal, Requests.Preflight(App, "patch"));

        // Act
        var text = decision.Explain();

        // Assert
        Assert.Equal("method 'patch' is not allowed by policy 'minimal'; allowed: GET, HEAD, POST", text);
    }

    [Fact]
    public void Explain_HeaderNotAllowed_NamesTheHeaderAndTheListedOnes()
    {
        // Arrange
        var decision = CorsEvaluator.Evaluate(Spa, Requests.Preflight(App, "PUT", "content-type,X-Token"));

        // Act
        var text = decision.Explain();

        // Assert
        Assert.Equal("header 'x-token' is not allowed by policy 'spa'; allowed: content-type, x-api-key", text);
    }

    [Fact]
    public void Explain_HeaderNotAllowedNoneListed_SaysNone()
    {
        // Arrange
        var decision = CorsEvaluator.Evaluate(Minimal, Requests.Preflight(App, "GET", "x-token"));

        // Act
        var text = decision.Explain();

        // Assert
        Assert.Equal("header 'x-token' is not allowed by policy 'minimal'; allowed: (none)", text);
    }

    [Fact]
    public void Explain_MethodMalformed_SaysTheRequestMethodIsNotAName()
    {
        // Arrange
        var decision = CorsEvaluator.Evaluate(Spa, Requests.Preflight(App, "GET POST"));

        // Act
        var text = decision.Explain();

        // Assert
        Assert.Equal("Access-Control-Request-Method is not a method name; policy 'spa' refused the preflight", text);
    }

    [Fact]
    public void Explain_HeadersMalformed_SaysTheRequestHeadersAreNotAList()
    {
        // Arrange
        var decision = CorsEvaluator.Evaluate(Spa, Requests.Preflight(App, "PUT", "content-type,,x-api-key"));

        // Act
        var text = decision.Explain();

        // Assert
        Assert.Equal("Access-Control-Request-Headers is not a list of header names; policy 'spa' refused the preflight", text);
    }

    [Fact]
    public void Explain_PrivateNetworkNotAllowed_SaysSo()
    {
        // Arrange
        var decision = CorsEvaluator.Evaluate(Spa, Requests.Preflight(App, "PUT", privateNetwork: true));

        // Act
        var text = decision.Explain();

        // Assert
        Assert.Equal("private network access is not allowed by policy 'spa'", text);
    }

    [Fact]
    public void HasCorsHeaders_RejectedPreflightWithLists_True()
    {
        // Arrange
        var decision = CorsEvaluator.Evaluate(Spa, Requests.Preflight(App, "PATCH"));

        // Act
        var hasHeaders = decision.HasCorsHeaders;

        // Assert
        Assert.True(hasHeaders);
        Assert.False(decision.IsAllowed);
    }
}

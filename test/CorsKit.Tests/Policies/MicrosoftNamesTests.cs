using CorsKit.Policies;

namespace CorsKit.Tests.Policies;

/// <summary>Microsoft.AspNetCore.Cors's builder names: they compile, mean what they mean there, or are refused with the fix.</summary>
public sealed class MicrosoftNamesTests
{
    private const string WildcardNeedsTheCall =
        "CORS policy 'api': \"https://*.example.com\" is a wildcard entry, which matches subdomains only after SetIsOriginAllowedToAllowWildcardSubdomains() "
        + "(without that call Microsoft's CORS treats it as one origin that never matches); add the call, or list the origins";

    private const string PredicateReplacesList =
        "CORS policy 'api': SetIsOriginAllowed(...) is the whole origin test in Microsoft's CORS, which then ignores the WithOrigins(...) entries, while CorsKit would allow them as well; "
        + "let the function allow those origins and drop WithOrigins(...), or call WithOriginPredicate(...) instead to allow both";

    private const string PredicateAllowsAnyWithCredentials =
        "CORS policy 'api': its origin test allows \"https://corskit-probe.invalid\", an origin nobody lists, so with credentials every site could read credentialed responses; "
        + "make the function allow only trusted origins (or list them with WithOrigins(...)), or drop AllowCredentials()";

    [Fact]
    public void Build_WildcardEntryWithoutSetIsOriginAllowedToAllowWildcardSubdomains_RefusedWithTheFix()
    {
        // Arrange
        var builder = new CorsPolicyBuilder("api").WithOrigins("https://*.example.com");

        // Act
        var ex = Assert.Throws<CorsPolicyException>(builder.Build);

        // Assert
        Assert.Equal(WildcardNeedsTheCall, ex.Message);
    }

    [Theory]
    [InlineData("https://a.example.com", true)]
    [InlineData("https://a.b.example.com", true)]
    [InlineData("https://example.com", false)]          // the apex, as in Microsoft's CORS
    [InlineData("http://a.example.com", false)]         // another scheme
    [InlineData("https://a.example.com:8443", false)]   // another port
    [InlineData("https://evilexample.com", false)]
    public void SetIsOriginAllowedToAllowWildcardSubdomains_WildcardEntry_MatchesSubdomainsOnly(string origin, bool allowed)
    {
        // Arrange
        var policy = new CorsPolicyBuilder("api").WithOrigins("https://*.example.com").SetIsOriginAllowedToAllowWildcardSubdomains().Build();

        // Act
        var matches = policy.Origins.Matches(origin);

        // Assert
        Assert.Equal(allowed, matches);
    }

    [Fact]
    public void Build_SetIsOriginAllowedBesideWithOrigins_RefusedBecauseMicrosoftIgnoresTheList()
    {
        // Arrange
        var builder = new CorsPolicyBuilder("api").WithOrigins("https://app.example.com").SetIsOriginAllowed(o => o.EndsWith(".example.net", StringComparison.Ordinal));

        // Act
        var ex = Assert.Throws<CorsPolicyException>(builder.Build);

        // Assert
        Assert.Equal(PredicateReplacesList, ex.Message);
    }

    [Fact]
    public void WithOriginPredicate_BesideWithOrigins_AllowsBoth()
    {
        // Arrange
        var policy = new CorsPolicyBuilder("api").WithOrigins("https://app.example.com").WithOriginPredicate(o => o == "https://b.example.net").Build();

        // Act
        var listed = policy.Origins.Matches("https://app.example.com");

        // Assert: the listed origin matches without the predicate; the predicate is consulted for the rest.
        Assert.True(listed);
        Assert.True(policy.Origins.HasPredicate);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Build_OriginTestThatAllowsAnyOriginWithCredentials_Refused(bool microsoftName)
    {
        // Arrange
        var builder = new CorsPolicyBuilder("api").AllowCredentials();
        _ = microsoftName ? builder.SetIsOriginAllowed(_ => true) : builder.WithOriginPredicate(_ => true);

        // Act
        var ex = Assert.Throws<CorsPolicyException>(builder.Build);

        // Assert
        Assert.Equal(PredicateAllowsAnyWithCredentials, ex.Message);
    }

    [Fact]
    public void Build_OriginTestThatAllowsAnyOriginWithoutCredentials_Accepted()
    {
        // Act
        var policy = new CorsPolicyBuilder("api").SetIsOriginAllowed(_ => true).Build();

        // Assert
        Assert.True(policy.Origins.HasPredicate);
        Assert.False(policy.AllowCredentials);
    }

    [Fact]
    public void Build_OriginTestThatThrowsWithCredentials_AcceptedAndFailsClosedPerRequest()
    {
        // Act: the probe's exception is not a grant; at request time the same exception refuses the origin.
        var policy = new CorsPolicyBuilder("api").SetIsOriginAllowed(_ => throw new InvalidOperationException("store down")).AllowCredentials().Build();

        // Assert
        Assert.True(policy.AllowCredentials);
    }

    [Fact]
    public void DisallowCredentials_AfterAllowCredentials_NoCredentials()
    {
        // Act
        var policy = new CorsPolicyBuilder("api").WithOrigins("https://app.example.com").AllowCredentials().DisallowCredentials().Build();

        // Assert
        Assert.False(policy.AllowCredentials);
    }

    [Fact]
    public void DisallowCredentials_LiftsTheRefusalOfAnyOriginWithCredentials()
    {
        // Act
        var policy = new CorsPolicyBuilder("api").AllowAnyOrigin().AllowCredentials().DisallowCredentials().Build();

        // Assert
        Assert.True(policy.AllowAnyOrigin);
        Assert.False(policy.AllowCredentials);
    }

    [Theory]
    [InlineData("any method first")]
    [InlineData("list first")]
    [InlineData("star in the list")]
    public void Build_AnyMethodBesideListedMethods_RefusedAsAmbiguous(string shape)
    {
        // Arrange: Microsoft allows only GET in the first shape and any method in the second.
        var builder = new CorsPolicyBuilder("api").WithOrigins("https://app.example.com");
        _ = shape switch
        {
            "any method first" => builder.AllowAnyMethod().WithMethods("GET"),
            "list first" => builder.WithMethods("GET").AllowAnyMethod(),
            _ => builder.WithMethods("*", "GET"),
        };

        // Act
        var ex = Assert.Throws<CorsPolicyException>(builder.Build);

        // Assert
        Assert.Equal(
            "CORS policy 'api': any method (AllowAnyMethod() or '*') beside listed methods (GET) is ambiguous: Microsoft's CORS allows only the listed ones or any, depending on the order of the calls; keep either AllowAnyMethod() or the list",
            ex.Message);
    }

    [Fact]
    public void Build_AnyHeaderBesideListedHeaders_RefusedAsAmbiguous()
    {
        // Arrange
        var builder = new CorsPolicyBuilder("api").WithOrigins("https://app.example.com").AllowAnyHeader().WithHeaders("X-Api-Key");

        // Act
        var ex = Assert.Throws<CorsPolicyException>(builder.Build);

        // Assert
        Assert.Equal(
            "CORS policy 'api': any header (AllowAnyHeader() or '*') beside listed headers (x-api-key) is ambiguous: Microsoft's CORS allows only the listed ones or any, depending on the order of the calls; keep either AllowAnyHeader() or the list",
            ex.Message);
    }

    [Fact]
    public void SetPreflightMaxAge_WholeSeconds_SameAsWithMaxAge()
    {
        // Act
        var policy = new CorsPolicyBuilder("api").WithOrigins("https://app.example.com").SetPreflightMaxAge(TimeSpan.FromMinutes(10)).Build();

        // Assert
        Assert.Equal(TimeSpan.FromSeconds(600), policy.MaxAge);
    }

    [Fact]
    public void SetPreflightMaxAge_FractionOfASecond_RefusedWithTheRule()
    {
        // Arrange
        var builder = new CorsPolicyBuilder("api").WithOrigins("https://app.example.com").SetPreflightMaxAge(TimeSpan.FromMilliseconds(1500));

        // Act
        var ex = Assert.Throws<CorsPolicyException>(builder.Build);

        // Assert
        Assert.Equal("CORS policy 'api': max-age 00:00:01.5000000 must be zero or more whole seconds", ex.Message);
    }
}

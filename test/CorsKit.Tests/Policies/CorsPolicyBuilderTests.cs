using System.Text.RegularExpressions;
using CorsKit.Policies;

namespace CorsKit.Tests.Policies;

public sealed class CorsPolicyBuilderTests
{
    private const string StarWithCredentials =
        "'*' (any origin) together with credentials is refused by browsers and would expose credentialed responses to every site; list the trusted origins with WithOrigins(...), or drop AllowCredentials()";

    private const string NoOrigin =
        "it allows no origin; add WithOrigins(\"https://app.example.com\") (or AllowAnyOrigin() for a public API without credentials)";

    private const string NullWithCredentials =
        "\"null\" (the opaque origin) together with credentials lets every sandboxed iframe and data: page, on any site, send credentialed requests and read the answers, since all of them send Origin: null; "
        + "drop AllowCredentials() (without credentials \"null\" stays allowed, to serve a sandboxed page), "
        + "or give the sandboxed page a real origin (sandbox=\"allow-scripts allow-same-origin\") and list that origin instead";

    private const string TokenRule =
        "is not a valid HTTP token (letters, digits and !#$%&'*+-.^_`|~ only; one name per entry, no commas or spaces)";

    [Fact]
    public void Constructor_NoName_NamesThePolicyDefault()
    {
        // Act
        var builder = new CorsPolicyBuilder();

        // Assert
        Assert.Equal("default", builder.Name);
        Assert.Equal("default", builder.WithOrigins("https://app.example.com").Build().Name);
    }

    [Fact]
    public void Constructor_EmptyName_Throws()
    {
        // Act
        var ex = Assert.Throws<ArgumentException>(() => new CorsPolicyBuilder(string.Empty));

        // Assert
        Assert.Equal("name", ex.ParamName);
    }

    [Fact]
    public void Constructor_NullName_Throws()
    {
        // Act
        var ex = Assert.Throws<ArgumentNullException>(() => new CorsPolicyBuilder(null!));

        // Assert
        Assert.Equal("name", ex.ParamName);
    }

    [Fact]
    public void WithOrigins_NullArray_Throws()
    {
        // Arrange
        var builder = new CorsPolicyBuilder();

        // Act
        var ex = Assert.Throws<ArgumentNullException>(() => builder.WithOrigins(null!));

        // Assert
        Assert.Equal("origins", ex.ParamName);
    }

    [Fact]
    public void WithOriginPredicate_Null_Throws()
    {
        // Arrange
        var builder = new CorsPolicyBuilder();

        // Act
        var ex = Assert.Throws<ArgumentNullException>(() => builder.WithOriginPredicate(null!));

        // Assert
        Assert.Equal("predicate", ex.ParamName);
    }

    [Fact]
    public void Build_NoPredicateTimeout_TheDefaultOfOneSecond()
    {
        var policy = new CorsPolicyBuilder("api").WithOriginPredicate(_ => true).Build();

        Assert.Equal(TimeSpan.FromSeconds(1), policy.OriginPredicateTimeout);
        Assert.Equal(CorsPolicyBuilder.OriginPredicateTimeout, policy.OriginPredicateTimeout);
    }

    [Fact]
    public void WithOriginPredicateTimeout_Set_StoredOnThePolicy()
    {
        var policy = new CorsPolicyBuilder("api").WithOriginPredicate(_ => true).WithOriginPredicateTimeout(TimeSpan.FromMilliseconds(300)).Build();

        Assert.Equal(TimeSpan.FromMilliseconds(300), policy.OriginPredicateTimeout);
    }

    [Theory]
    [InlineData(0, "origin predicate timeout 00:00:00 must be more than zero and at most 00:01:00; keep the default (1 s) unless the predicate needs longer")]
    [InlineData(-1000, "origin predicate timeout -00:00:01 must be more than zero and at most 00:01:00; keep the default (1 s) unless the predicate needs longer")]
    [InlineData(61_000, "origin predicate timeout 00:01:01 must be more than zero and at most 00:01:00; keep the default (1 s) unless the predicate needs longer")]
    public void Build_PredicateTimeoutOutOfRange_RefusedWithExactMessage(int milliseconds, string problem)
    {
        var builder = new CorsPolicyBuilder("api").WithOriginPredicate(_ => true).WithOriginPredicateTimeout(TimeSpan.FromMilliseconds(milliseconds));

        var ex = Assert.Throws<CorsPolicyException>(builder.Build);

        Assert.Equal([problem], ex.Problems);
    }

    [Fact]
    public void Build_AnyOriginWithCredentials_RefusedWithExactMessage()
    {
        // Arrange
        var builder = new CorsPolicyBuilder("api").AllowAnyOrigin().AllowCredentials();

        // Act
        var ex = Assert.Throws<CorsPolicyException>(builder.Build);

        // Assert
        Assert.Equal($"CORS policy 'api': {StarWithCredentials}", ex.Message);
        Assert.Equal("api", ex.PolicyName);
        Assert.Equal([StarWithCredentials], ex.Problems);
    }

    [Fact]
    public void Build_StarEntryWithCredentials_RefusedWithExactMessage()
    {
        // Arrange
        var builder = new CorsPolicyBuilder("api").WithOrigins("*").AllowCredentials();

        // Act
        var ex = Assert.Throws<CorsPolicyException>(builder.Build);

        // Assert
        Assert.Equal($"CORS policy 'api': {StarWithCredentials}", ex.Message);
    }

    [Fact]
    public void Build_NoOriginAtAll_RefusedWithExactMessage()
    {
        // Arrange
        var builder = new CorsPolicyBuilder("api").WithMethods("PUT");

        // Act
        var ex = Assert.Throws<CorsPolicyException>(builder.Build);

        // Assert
        Assert.Equal($"CORS policy 'api': {NoOrigin}", ex.Message);
    }

    [Fact]
    public void Build_EmptyOriginList_RefusedAsNoOrigin()
    {
        // Arrange
        var builder = new CorsPolicyBuilder("api").WithOrigins();

        // Act
        var ex = Assert.Throws<CorsPolicyException>(builder.Build);

        // Assert
        Assert.Equal($"CORS policy 'api': {NoOrigin}", ex.Message);
    }

    [Fact]
    public void Build_StarWithOtherOriginEntries_RefusedWithExactMessage()
    {
        // Arrange
        var builder = new CorsPolicyBuilder("api").WithOrigins("*", "https://app.example.com");

        // Act
        var ex = Assert.Throws<CorsPolicyException>(builder.Build);

        // Assert
        Assert.Equal("CORS policy 'api': '*' (any origin) makes the other origin entries meaningless; keep either '*' or the list", ex.Message);
    }

    [Fact]
    public void Build_OnlyOriginEntryInvalid_ReportsThatEntryAlone()
    {
        // Arrange: the entry is wrong, not missing; "add WithOrigins(...)" would be the wrong advice.
        var builder = new CorsPolicyBuilder("api").WithOrigins("https://app.example.com/");

        // Act
        var ex = Assert.Throws<CorsPolicyException>(builder.Build);

        // Assert
        Assert.Equal("CORS policy 'api': \"https://app.example.com/\" has a path (a trailing slash); an origin is scheme://host[:port], so write \"https://app.example.com\"", ex.Message);
        Assert.Single(ex.Problems);
    }

    [Theory]
    [InlineData("https://a.*.example.com", "\"https://a.*.example.com\" puts '*' somewhere other than the whole first label; the only wildcard form is \"scheme://*.domain[:port]\"")]
    [InlineData("*.example.com", "\"*.example.com\" has no scheme; write the wildcard as \"https://*.example.com\"")]
    [InlineData("https://*.com", "\"https://*.com\" matches every site under the top-level domain \"com\"; name a registrable domain such as \"https://*.example.com\"")]
    public void Build_InvalidWildcardEntry_RefusedWithItsMessage(string entry, string problem)
    {
        // Arrange
        var builder = new CorsPolicyBuilder("api").WithOrigins("https://app.example.com", entry);

        // Act
        var ex = Assert.Throws<CorsPolicyException>(builder.Build);

        // Assert
        Assert.Equal($"CORS policy 'api': {problem}", ex.Message);
    }

    [Theory]
    [InlineData("https://(app")]
    [InlineData("https://app[.example.com")]
    [InlineData(@"https://app\")]
    [InlineData("*.example.com")]
    public void Build_InvalidRegex_RefusedWithMessageNamingThePattern(string pattern)
    {
        // Arrange
        var parserMessage = Assert.ThrowsAny<ArgumentException>(() => new Regex(pattern, RegexOptions.CultureInvariant)).Message;
        var builder = new CorsPolicyBuilder("api").WithOriginRegex(@"https://ok\.example\.com", pattern);

        // Act
        var ex = Assert.Throws<CorsPolicyException>(builder.Build);

        // Assert
        Assert.Equal(
            $"CORS policy 'api': origin regex \"{pattern}\" is invalid ({parserMessage}); write a .NET regular expression such as \"https://app-[0-9]+\\.example\\.com\"",
            ex.Message);
    }

    [Theory]
    [InlineData("GET POST")]
    [InlineData("GET,POST")]
    [InlineData("")]
    [InlineData("PÜT")]
    public void Build_MethodNotAToken_RefusedWithExactMessage(string method)
    {
        // Arrange
        var builder = new CorsPolicyBuilder("api").WithOrigins("https://app.example.com").WithMethods(method);

        // Act
        var ex = Assert.Throws<CorsPolicyException>(builder.Build);

        // Assert
        Assert.Equal($"CORS policy 'api': method \"{method}\" {TokenRule}", ex.Message);
    }

    [Theory]
    [InlineData("x foo", "x foo")]
    [InlineData("X-A, X-B", "x-a, x-b")]
    [InlineData("x:token", "x:token")]
    public void Build_HeaderNotAToken_RefusedWithExactMessage(string header, string shown)
    {
        // Arrange
        var builder = new CorsPolicyBuilder("api").WithOrigins("https://app.example.com").WithHeaders(header);

        // Act
        var ex = Assert.Throws<CorsPolicyException>(builder.Build);

        // Assert
        Assert.Equal($"CORS policy 'api': header \"{shown}\" {TokenRule}", ex.Message);
    }

    [Fact]
    public void Build_ExposedHeaderNotAToken_RefusedWithExactMessage()
    {
        // Arrange
        var builder = new CorsPolicyBuilder("api").WithOrigins("https://app.example.com").WithExposedHeaders("X-Total Count");

        // Act
        var ex = Assert.Throws<CorsPolicyException>(builder.Build);

        // Assert
        Assert.Equal($"CORS policy 'api': exposed header \"X-Total Count\" {TokenRule}", ex.Message);
    }

    [Fact]
    public void Build_ExposedStarWithCredentials_RefusedWithExactMessage()
    {
        // Arrange
        var builder = new CorsPolicyBuilder("api").WithOrigins("https://app.example.com").AllowCredentials().WithExposedHeaders("*");

        // Act
        var ex = Assert.Throws<CorsPolicyException>(builder.Build);

        // Assert
        Assert.Equal("CORS policy 'api': exposed header '*' with credentials exposes only a header literally named '*'; list the header names instead", ex.Message);
    }

    [Fact]
    public void Build_ExposedStarWithoutCredentials_Accepted()
    {
        // Act
        var policy = new CorsPolicyBuilder("api").WithOrigins("https://app.example.com").WithExposedHeaders("*").Build();

        // Assert
        Assert.Equal(["*"], policy.ExposedHeaders);
        Assert.Equal("*", policy.ExposeHeadersValue);
    }

    [Theory]
    [InlineData(-1.0, "max-age -00:00:01 must be zero or more whole seconds")]
    [InlineData(1.5, "max-age 00:00:01.5000000 must be zero or more whole seconds")]
    public void Build_MaxAgeNegativeOrFractional_RefusedWithExactMessage(double seconds, string problem)
    {
        // Arrange
        var builder = new CorsPolicyBuilder("api").WithOrigins("https://app.example.com").WithMaxAge(TimeSpan.FromSeconds(seconds));

        // Act
        var ex = Assert.Throws<CorsPolicyException>(builder.Build);

        // Assert
        Assert.Equal($"CORS policy 'api': {problem}", ex.Message);
    }

    [Theory]
    [InlineData(0, "0")]
    [InlineData(600, "600")]
    [InlineData(7200, "7200")]
    [InlineData(86400, "86400")]
    public void Build_MaxAgeWholeSeconds_PrecomputesHeaderValue(int seconds, string expected)
    {
        // Act
        var policy = new CorsPolicyBuilder("api").WithOrigins("https://app.example.com").WithMaxAge(TimeSpan.FromSeconds(seconds)).Build();

        // Assert
        Assert.Equal(TimeSpan.FromSeconds(seconds), policy.MaxAge);
        Assert.Equal(expected, policy.MaxAgeValue);
    }

    [Theory]
    [InlineData(404)]
    [InlineData(199)]
    [InlineData(300)]
    [InlineData(500)]
    public void Build_PreflightStatusOutside2xx_RefusedWithExactMessage(int status)
    {
        // Arrange
        var builder = new CorsPolicyBuilder("api").WithOrigins("https://app.example.com").WithPreflightStatus(status);

        // Act
        var ex = Assert.Throws<CorsPolicyException>(builder.Build);

        // Assert
        Assert.Equal($"CORS policy 'api': preflight status {status} fails in every browser (a preflight needs 200-299); use 204 (the default) or 200", ex.Message);
    }

    [Theory]
    [InlineData(200)]
    [InlineData(204)]
    [InlineData(299)]
    public void Build_PreflightStatus2xx_Kept(int status)
    {
        // Act
        var policy = new CorsPolicyBuilder("api").WithOrigins("https://app.example.com").WithPreflightStatus(status).Build();

        // Assert
        Assert.Equal(status, policy.PreflightStatusCode);
    }

    [Fact]
    public void Build_SeveralProblems_MessageListsEachInOrder()
    {
        // Arrange
        var builder = new CorsPolicyBuilder("api")
            .WithOrigins("https://app.example.com/", "*")
            .AllowCredentials()
            .WithMethods("GET POST")
            .WithHeaders("x foo")
            .WithExposedHeaders("*")
            .WithMaxAge(TimeSpan.FromSeconds(-5))
            .WithPreflightStatus(404);
        string[] problems =
        [
            "\"https://app.example.com/\" has a path (a trailing slash); an origin is scheme://host[:port], so write \"https://app.example.com\"",
            StarWithCredentials,
            $"method \"GET POST\" {TokenRule}",
            $"header \"x foo\" {TokenRule}",
            "exposed header '*' with credentials exposes only a header literally named '*'; list the header names instead",
            "max-age -00:00:05 must be zero or more whole seconds",
            "preflight status 404 fails in every browser (a preflight needs 200-299); use 204 (the default) or 200",
        ];
        var nl = Environment.NewLine;

        // Act
        var ex = Assert.Throws<CorsPolicyException>(builder.Build);

        // Assert
        Assert.Equal(problems, ex.Problems);
        Assert.Equal($"CORS policy 'api' has 7 problems:{nl}- " + string.Join($"{nl}- ", problems), ex.Message);
        Assert.Equal("api", ex.PolicyName);
    }

    [Fact]
    public void Build_TwoProblems_MessageUsesTheListForm()
    {
        // Arrange
        var builder = new CorsPolicyBuilder("spa").WithOrigins("https://a.example.com?x", "https://*.com").SetIsOriginAllowedToAllowWildcardSubdomains();
        var nl = Environment.NewLine;

        // Act
        var ex = Assert.Throws<CorsPolicyException>(builder.Build);

        // Assert
        Assert.Equal(
            $"CORS policy 'spa' has 2 problems:{nl}"
            + $"- \"https://a.example.com?x\" has a query; an origin is scheme://host[:port], so write \"https://a.example.com\"{nl}"
            + "- \"https://*.com\" matches every site under the top-level domain \"com\"; name a registrable domain such as \"https://*.example.com\"",
            ex.Message);
    }

    [Fact]
    public void Build_Methods_UpperCasesTheFetchNormalisedNamesOnly()
    {
        // Act: fetch() upper-cases DELETE, GET, HEAD, OPTIONS, POST, PUT; anything else is sent as written.
        var policy = new CorsPolicyBuilder("api")
            .WithOrigins("https://app.example.com")
            .WithMethods("get", "patch", "Put", "delete", "options", "head", "post", "PATCH", "Purge")
            .Build();

        // Assert
        Assert.Equal(["GET", "patch", "PUT", "DELETE", "OPTIONS", "HEAD", "POST", "PATCH", "Purge"], policy.Methods);
        Assert.Equal("GET,patch,PUT,DELETE,OPTIONS,HEAD,POST,PATCH,Purge", policy.AllowMethodsValue);
        Assert.False(policy.AllowAnyMethod);
    }

    [Fact]
    public void Build_DuplicateMethods_KeptOnceCaseSensitively()
    {
        // Act
        var policy = new CorsPolicyBuilder("api").WithOrigins("https://app.example.com").WithMethods("put", "PUT", "patch", "patch").Build();

        // Assert
        Assert.Equal(["PUT", "patch"], policy.Methods);
    }

    [Fact]
    public void Build_Headers_LowerCasedAndDeduplicated()
    {
        // Act
        var policy = new CorsPolicyBuilder("api").WithOrigins("https://app.example.com").WithHeaders("Content-Type", "X-Api-Key", "content-type", "X-API-KEY").Build();

        // Assert
        Assert.Equal(["content-type", "x-api-key"], policy.Headers);
        Assert.Equal("content-type,x-api-key", policy.AllowHeadersValue);
        Assert.False(policy.AllowAnyHeader);
    }

    [Fact]
    public void Build_ExposedHeaders_KeepFirstSpellingAndDeduplicateIgnoringCase()
    {
        // Act
        var policy = new CorsPolicyBuilder("api").WithOrigins("https://app.example.com").WithExposedHeaders("X-Total-Count", "x-total-count", "X-Request-Id").Build();

        // Assert
        Assert.Equal(["X-Total-Count", "X-Request-Id"], policy.ExposedHeaders);
        Assert.Equal("X-Total-Count,X-Request-Id", policy.ExposeHeadersValue);
    }

    [Fact]
    public void Build_StarEntries_SetTheAnyFlagsAndListNothing()
    {
        // Act
        var policy = new CorsPolicyBuilder("public").WithOrigins("*").WithMethods("*").WithHeaders("*").Build();

        // Assert
        Assert.True(policy.AllowAnyOrigin);
        Assert.True(policy.AllowAnyMethod);
        Assert.True(policy.AllowAnyHeader);
        Assert.Empty(policy.Methods);
        Assert.Empty(policy.Headers);
        Assert.Null(policy.AllowMethodsValue);
        Assert.Null(policy.AllowHeadersValue);
        Assert.False(policy.VariesByOrigin);
    }

    [Fact]
    public void Build_AnyMethodAndHeaderCalls_SetTheAnyFlags()
    {
        // Act
        var policy = new CorsPolicyBuilder("public").AllowAnyOrigin().AllowAnyMethod().AllowAnyHeader().Build();

        // Assert
        Assert.True(policy.AllowAnyOrigin);
        Assert.True(policy.AllowAnyMethod);
        Assert.True(policy.AllowAnyHeader);
    }

    [Fact]
    public void Build_Defaults_AreDocumentedValues()
    {
        // Act
        var policy = new CorsPolicyBuilder("spa").WithOrigins("https://app.example.com").Build();

        // Assert
        Assert.Equal("spa", policy.Name);
        Assert.False(policy.AllowAnyOrigin);
        Assert.False(policy.AllowAnyMethod);
        Assert.False(policy.AllowAnyHeader);
        Assert.False(policy.AllowCredentials);
        Assert.False(policy.AllowPrivateNetwork);
        Assert.False(policy.PreflightPassthrough);
        Assert.Equal(204, policy.PreflightStatusCode);
        Assert.Null(policy.MaxAge);
        Assert.Null(policy.MaxAgeValue);
        Assert.Null(policy.AllowMethodsValue);
        Assert.Null(policy.AllowHeadersValue);
        Assert.Null(policy.ExposeHeadersValue);
        Assert.True(policy.VariesByOrigin);
    }

    [Fact]
    public void Build_Options_CarriedIntoThePolicy()
    {
        // Act
        var policy = new CorsPolicyBuilder("spa")
            .WithOrigins("https://app.example.com")
            .AllowCredentials()
            .AllowPrivateNetwork()
            .PassPreflightToEndpoint()
            .WithPreflightStatus(200)
            .Build();

        // Assert
        Assert.True(policy.AllowCredentials);
        Assert.True(policy.AllowPrivateNetwork);
        Assert.True(policy.PreflightPassthrough);
        Assert.Equal(200, policy.PreflightStatusCode);
    }

    [Fact]
    public void Build_OriginEntries_SortedIntoExactNullAndWildcard()
    {
        // Act
        var policy = new CorsPolicyBuilder("spa").WithOrigins("HTTPS://App.Example.com:443", "null", "https://*.Example.org").SetIsOriginAllowedToAllowWildcardSubdomains().Build();

        // Assert
        Assert.Equal(["https://app.example.com"], policy.Origins.ExactOrigins);
        Assert.True(policy.Origins.AllowsNull);
        Assert.Equal(["https://*.example.org"], policy.Origins.WildcardPatterns);
    }

    [Fact]
    public void Build_OnlyPredicate_Accepted()
    {
        // Act
        var policy = new CorsPolicyBuilder("spa").WithOriginPredicate(_ => true).Build();

        // Assert
        Assert.True(policy.Origins.HasPatterns);
        Assert.Empty(policy.Origins.ExactOrigins);
    }

    [Fact]
    public void RegexMatchTimeout_IsOneSecond()
    {
        // Assert
        Assert.Equal(TimeSpan.FromSeconds(1), CorsPolicyBuilder.RegexMatchTimeout);
    }

    [Fact]
    public void Build_NullWithCredentials_RefusedWithExactMessage()
    {
        // Arrange
        var builder = new CorsPolicyBuilder("sandbox").WithOrigins("https://app.example.com", "null").AllowCredentials();

        // Act
        var ex = Assert.Throws<CorsPolicyException>(builder.Build);

        // Assert
        Assert.Equal($"CORS policy 'sandbox': {NullWithCredentials}", ex.Message);
    }

    [Fact]
    public void Build_NullWithoutCredentials_Accepted()
    {
        // Act: how a sandboxed page (or a data: page) is served.
        var policy = new CorsPolicyBuilder("sandbox").WithOrigins("null").Build();

        // Assert
        Assert.True(policy.Origins.AllowsNull);
        Assert.False(policy.AllowCredentials);
    }

    [Theory]
    [InlineData(".*", "https://corskit-probe.invalid")]
    [InlineData("https?://.*", "https://corskit-probe.invalid")]
    [InlineData("https://.*", "https://corskit-probe.invalid")]
    [InlineData("https://[^/]*", "https://corskit-probe.invalid")]
    [InlineData("https://.+", "https://corskit-probe.invalid")]
    [InlineData(@"https://[\w.-]+", "https://corskit-probe.invalid")]
    [InlineData("(?i)HTTPS://.*", "https://corskit-probe.invalid")]
    [InlineData("http://.*", "http://corskit-probe.invalid")]
    [InlineData("http://.*:3000", "http://corskit-probe.invalid:3000")]
    [InlineData(@"https://.*(\.example\.com)?", "https://corskit-probe.invalid")]
    public void Build_RegexMatchingAnyHostWithCredentials_RefusedNamingTheProbe(string pattern, string probe)
    {
        // Arrange
        var builder = new CorsPolicyBuilder("api").WithOriginRegex(pattern).AllowCredentials();

        // Act
        var ex = Assert.Throws<CorsPolicyException>(builder.Build);

        // Assert
        Assert.Equal(
            $"CORS policy 'api': origin regex \"{pattern}\" matches any host (it matches \"{probe}\"), so with credentials every site could read credentialed responses; write the trusted hosts out, dots escaped, such as \"https://app\\.example\\.com\"",
            ex.Message);
    }

    [Theory]
    [InlineData(".*")]
    [InlineData("https?://.*")]
    public void Build_RegexMatchingAnyHostWithoutCredentials_RefusedPointingToAllowAnyOrigin(string pattern)
    {
        // Arrange: a '*' that still echoes the origin (and needs Vary: Origin); AllowAnyOrigin() says what is meant.
        var builder = new CorsPolicyBuilder("public").WithOriginRegex(pattern);

        // Act
        var ex = Assert.Throws<CorsPolicyException>(builder.Build);

        // Assert
        Assert.Equal(
            $"CORS policy 'public': origin regex \"{pattern}\" matches any host (it matches \"https://corskit-probe.invalid\"): a '*' in disguise that still echoes each origin back; use AllowAnyOrigin() for a public API, or write the trusted hosts out, dots escaped, such as \"https://app\\.example\\.com\"",
            ex.Message);
    }

    [Theory]
    [InlineData("https://app.example.com", "app.example", "appxexample", @"https://app\.example\.com")]
    [InlineData(@"https://app.example\.com", "app.example", "appxexample", @"https://app\.example\.com")]
    [InlineData(@"https://(www|api).example\.com", ".example", "xexample", @"https://(www|api)\.example\.com")]
    [InlineData(@"https://app-[0-9]+\.example.com:8443", "example.com", "examplexcom", @"https://app-[0-9]+\.example\.com:8443")]
    public void Build_RegexWithUnescapedHostDot_RefusedWithTheEscapedPattern(string pattern, string context, string lookalike, string fix)
    {
        // Arrange
        var builder = new CorsPolicyBuilder("api").WithOriginRegex(pattern);

        // Act
        var ex = Assert.Throws<CorsPolicyException>(builder.Build);

        // Assert
        Assert.Equal(
            $"CORS policy 'api': origin regex \"{pattern}\" has an unescaped '.' in \"{context}\", which matches any character, so \"{lookalike}\" matches too; write \"\\.\" for a literal dot: \"{fix}\"",
            ex.Message);
    }

    [Theory]
    [InlineData(@"https://.*\.co\.uk", "co.uk", "https://corskitprobe.co.uk", @"co\.uk")]
    [InlineData(@"https://[a-z0-9-]+\.github\.io", "github.io", "https://corskitprobe.github.io", @"github\.io")]
    [InlineData(@"https?://[a-z]+\.com", "com", "https://corskitprobe.com", "com")]
    [InlineData(@"http://.+\.herokuapp\.com", "herokuapp.com", "http://corskitprobe.herokuapp.com", @"herokuapp\.com")]
    public void Build_RegexMatchingEverySiteUnderAPublicSuffix_RefusedNamingTheSuffix(string pattern, string suffix, string probe, string escaped)
    {
        // Arrange
        var builder = new CorsPolicyBuilder("api").WithOriginRegex(pattern);

        // Act
        var ex = Assert.Throws<CorsPolicyException>(builder.Build);

        // Assert
        Assert.Equal(
            $"CORS policy 'api': origin regex \"{pattern}\" matches every site under the public suffix \"{suffix}\" (it matches \"{probe}\"), where anyone can register a name; anchor it to a domain you control, such as \"https://[a-z0-9-]+\\.example\\.{escaped}\"",
            ex.Message);
    }

    [Theory]
    [InlineData(@"https://app\.example\.com.*", "https://app.example.com.corskit-probe.invalid")]
    [InlineData(@"https://app\.example\.com[^/]*", "https://app.example.com.corskit-probe.invalid")]
    [InlineData(@"https://(www|api)\.example\.com(:[0-9]+)?.*", "https://www.example.com.corskit-probe.invalid")]
    [InlineData(@"https://app\.example\.co.*", "https://app.example.co.corskit-probe.invalid")]
    public void Build_RegexLettingTheHostGoOn_RefusedNamingTheLookalike(string pattern, string probe)
    {
        // Arrange
        var builder = new CorsPolicyBuilder("api").WithOriginRegex(pattern);

        // Act
        var ex = Assert.Throws<CorsPolicyException>(builder.Build);

        // Assert
        Assert.Equal(
            $"CORS policy 'api': origin regex \"{pattern}\" also matches \"{probe}\", a host under a domain anyone can register; end the pattern at the host, with nothing like \".*\" after it",
            ex.Message);
    }

    [Theory]
    [InlineData(@"https://.*example\.com", "https://corskitprobeexample.com", "example.com", @"https://([a-z0-9-]+\.)*example\.com")]
    [InlineData(@"https://[a-z]*example\.co\.uk", "https://corskitprobeexample.co.uk", "example.co.uk", @"https://([a-z0-9-]+\.)*example\.co\.uk")]
    [InlineData(@"http://.*example\.org:8080", "http://corskitprobeexample.org:8080", "example.org", @"http://([a-z0-9-]+\.)*example\.org")]
    public void Build_RegexWithoutADotBeforeTheDomain_RefusedNamingTheLookalike(string pattern, string probe, string registrable, string fix)
    {
        // Arrange
        var builder = new CorsPolicyBuilder("api").WithOriginRegex(pattern).AllowCredentials();

        // Act
        var ex = Assert.Throws<CorsPolicyException>(builder.Build);

        // Assert
        Assert.Equal(
            $"CORS policy 'api': origin regex \"{pattern}\" also matches \"{probe}\": any name that ends in \"{registrable}\" matches, so anyone can register one; put \"\\.\" before the domain, as in \"{fix}\"",
            ex.Message);
    }

    [Theory]
    [InlineData(@"https://app[.-]example\.com", "https://app-example.com", "[.-]", "app.example.com", @"https://app\.example\.com", false)]
    [InlineData(@"https://app[.-]example\.com", "https://app-example.com", "[.-]", "app.example.com", @"https://app\.example\.com", true)]
    [InlineData(@"https://app\Wexample\.com", "https://app-example.com", @"\W", "app.example.com", @"https://app\.example\.com", false)]
    [InlineData(@"https://app\Wexample\.com", "https://app-example.com", @"\W", "app.example.com", @"https://app\.example\.com", true)]
    [InlineData(@"https://app[^a-z]example\.com", "https://app-example.com", "[^a-z]", "app.example.com", @"https://app\.example\.com", false)]
    [InlineData(@"https://app[^a-z]example\.com", "https://app-example.com", "[^a-z]", "app.example.com", @"https://app\.example\.com", true)]
    [InlineData(@"https://app\.example\S(com|net)", "https://app.example-com", @"\S", "app.example.com", @"https://app\.example\.(com|net)", true)]
    [InlineData(@"https://tenant-[0-9]+[^a-z0-9]example\.com", "https://tenant-0-example.com", "[^a-z0-9]", "tenant-0.example.com", @"https://tenant-[0-9]+\.example\.com", true)]
    [InlineData(@"https://app.*example\.com", "https://appaexample.com", ".*", "app.example.com", @"https://app\.example\.com", true)]
    [InlineData(@"https://app[.-]?example\.com", "https://app-example.com", "[.-]?", "app.example.com", @"https://app\.example\.com", true)]
    public void Build_RegexWithAClassWhereTheHostHasADot_RefusedNamingTheOtherSite(string pattern, string probe, string construct, string host, string fix, bool credentials)
    {
        // Arrange: the class or escape takes '-' (or a letter) where the host has its dot, which names another site.
        var builder = new CorsPolicyBuilder("p").WithOriginRegex(pattern);
        if (credentials)
        {
            builder.AllowCredentials();
        }

        // Act
        var ex = Assert.Throws<CorsPolicyException>(builder.Build);

        // Assert
        Assert.Equal(
            $"CORS policy 'p': origin regex \"{pattern}\" also matches \"{probe}\": \"{construct}\" stands for the dot of \"{host}\" but takes other characters too, so another site matches; write \"\\.\" for a literal dot: \"{fix}\"",
            ex.Message);
    }

    [Theory]
    [InlineData(@"https://(www\.)?example\.[a-z]+", "https://example.corskitprobe", false)]
    [InlineData(@"https://(www\.)?example\.[a-z]+", "https://example.corskitprobe", true)]
    [InlineData(@"https://app\.example\.\w{2,}:8443", "https://app.example.corskitprobe:8443", true)]
    public void Build_RegexMatchingAnyTopLevelDomain_RefusedNamingTheProbe(string pattern, string probe, bool credentials)
    {
        // Arrange
        var builder = new CorsPolicyBuilder("p").WithOriginRegex(pattern);
        if (credentials)
        {
            builder.AllowCredentials();
        }

        // Act
        var ex = Assert.Throws<CorsPolicyException>(builder.Build);

        // Assert
        Assert.Equal(
            $"CORS policy 'p': origin regex \"{pattern}\" matches any top-level domain (it matches \"{probe}\"), so the same name under another one, which anyone can register, matches too; name the domain, dots escaped, such as \"https://app\\.example\\.com\"",
            ex.Message);
    }

    [Theory]
    [InlineData(@"(?i)HTTPS://APP\.EXAMPLE\.COM.*", "https://app.example.com.corskit-probe.invalid", false)]
    [InlineData(@"(?i)HTTPS://APP\.EXAMPLE\.COM.*", "https://app.example.com.corskit-probe.invalid", true)]
    [InlineData(@"(?i)https://App\.Example\.com[^/]*", "https://app.example.com.corskit-probe.invalid", true)]
    public void Build_UpperCaseRegexLettingTheHostGoOn_RefusedLikeItsLowerCaseSpelling(string pattern, string probe, bool credentials)
    {
        // Arrange: browsers send origins in lower case, so the pattern is judged on the lower-case spelling of its origin.
        var builder = new CorsPolicyBuilder("p").WithOriginRegex(pattern);
        if (credentials)
        {
            builder.AllowCredentials();
        }

        // Act
        var ex = Assert.Throws<CorsPolicyException>(builder.Build);

        // Assert
        Assert.Equal(
            $"CORS policy 'p': origin regex \"{pattern}\" also matches \"{probe}\", a host under a domain anyone can register; end the pattern at the host, with nothing like \".*\" after it",
            ex.Message);
    }

    [Theory]
    [InlineData(@"https://app-[0-9]+\.example\.com")]
    [InlineData(@"https://(app|admin)\.example\.com")]
    [InlineData(@"https://[a-z0-9-]+\.example\.com")]
    [InlineData(@"http://(127\.0\.0\.1|localhost):5081")]
    [InlineData(@"https://[a-z0-9]+[.-][a-z0-9]+\.example\.com")]   // "a-b.example.com" is still under example.com
    [InlineData(@"https://[-a-z0-9.]+\.example\.com")]
    [InlineData(@"https://app\.example\.(com|net|org)")]
    [InlineData(@"https://\w+\.example\.com")]
    [InlineData(@"(?i)HTTPS://APP\.EXAMPLE\.COM")]
    public void Build_RegexNamingItsSites_AcceptedWithAndWithoutCredentials(string pattern)
    {
        // Act
        var open = new CorsPolicyBuilder("p").WithOriginRegex(pattern).Build();
        var credentialed = new CorsPolicyBuilder("p").WithOriginRegex(pattern).AllowCredentials().Build();

        // Assert
        Assert.True(open.Origins.HasPatterns);
        Assert.True(credentialed.Origins.HasPatterns);
    }

    [Theory]
    [InlineData(@"https://.*\.example\.com")]
    [InlineData(@"https://[a-z0-9-]+\.example\.co\.uk")]
    [InlineData(@"https://([a-z0-9-]+\.)*example\.com")]
    [InlineData(@"https://(www\.)?example\.com(:8443)?")]
    [InlineData(@"(?i)https://app\.example\.com(/|:443)?")]
    [InlineData(@"https://.*app\.example\.org")]           // "evilapp.example.org" is still under example.org
    [InlineData(@"http://localhost:3000.*")]                // the rest is never part of a serialized origin's host
    [InlineData(@"https://[a-z]+\.notgithub\.io")]
    [InlineData(@"https?://(localhost|127\.0\.0\.1)(:[0-9]+)?")]
    [InlineData(@"https://app-[0-9]+\.example\.com")]
    public void Build_RegexAnchoredToARegistrableDomain_AcceptedWithCredentials(string pattern)
    {
        // Act
        var policy = new CorsPolicyBuilder("api").WithOriginRegex(pattern).AllowCredentials().Build();

        // Assert
        Assert.True(policy.Origins.HasPatterns);
        Assert.False(policy.UsesBacktrackingRegex);
    }

    [Theory]
    [InlineData(@"https://(?!admin\.)[a-z]+\.example\.com")]
    [InlineData(@"https://([a-z])\1\.example\.com")]
    [InlineData(@"https://(?>[a-z]+)\.example\.com")]
    public void Build_RegexNeedingBacktracking_RefusedUnlessAllowed(string pattern)
    {
        // Arrange
        var builder = new CorsPolicyBuilder("api").WithOriginRegex(pattern);

        // Act
        var ex = Assert.Throws<CorsPolicyException>(builder.Build);

        // Assert
        Assert.Equal(
            $"CORS policy 'api': origin regex \"{pattern}\" needs .NET's backtracking engine (it has a lookaround, backreference, atomic group or conditional, or is too large for the linear-time engine), "
            + "where each distinct hostile origin can cost up to the match timeout in CPU; rewrite it without those constructs (alternatives with '|', or WithOriginPredicate(...)), "
            + "or call AllowBacktrackingOriginRegex() to accept it with a 50 ms match timeout",
            ex.Message);
    }

    [Fact]
    public void Build_RegexNeedingBacktrackingAllowed_RunsApartWithTheShortTimeout()
    {
        // Act
        var policy = new CorsPolicyBuilder("api")
            .WithOriginRegex(@"https://app\.example\.com", @"https://(?!admin\.)[a-z]+\.example\.org")
            .AllowBacktrackingOriginRegex()
            .Build();

        // Assert
        Assert.True(policy.UsesBacktrackingRegex);
        Assert.True(policy.Origins.Matches("https://app.example.com"));
        Assert.True(policy.Origins.Matches("https://shop.example.org"));
        Assert.False(policy.Origins.Matches("https://admin.example.org"));
        Assert.Equal(TimeSpan.FromMilliseconds(50), CorsPolicyBuilder.BacktrackingRegexMatchTimeout);
    }

    [Fact]
    public void Build_RegexNeedingBacktrackingAllowedButMatchingAnyHost_StillRefused()
    {
        // Arrange
        var builder = new CorsPolicyBuilder("api").WithOriginRegex("(?=h).*").AllowBacktrackingOriginRegex();

        // Act
        var ex = Assert.Throws<CorsPolicyException>(builder.Build);

        // Assert
        Assert.Equal(
            "CORS policy 'api': origin regex \"(?=h).*\" matches any host (it matches \"https://corskit-probe.invalid\"): a '*' in disguise that still echoes each origin back; use AllowAnyOrigin() for a public API, or write the trusted hosts out, dots escaped, such as \"https://app\\.example\\.com\"",
            ex.Message);
    }

    [Fact]
    public void Build_LinearRegexes_NeverUseTheBacktrackingEngine()
    {
        // Act: 100 expressions are more than one linear-time automaton takes; they are split, not moved to backtracking.
        var patterns = Enumerable.Range(0, 100).Select(k => $@"https://tenant-[0-9]+\.region{k}\.example\.com").ToArray();
        var policy = new CorsPolicyBuilder("tenants").WithOriginRegex(patterns).AllowCredentials().Build();

        // Assert
        Assert.False(policy.UsesBacktrackingRegex);
        Assert.True(policy.Origins.Matches("https://tenant-7.region0.example.com"));
        Assert.True(policy.Origins.Matches("https://tenant-7.region99.example.com"));
        Assert.False(policy.Origins.Matches("https://tenant-7.region100.example.com"));
    }

    [Fact]
    public void Build_NoRegex_DoesNotUseTheBacktrackingEngine()
    {
        // Act
        var policy = new CorsPolicyBuilder("spa").WithOrigins("https://app.example.com").AllowBacktrackingOriginRegex().Build();

        // Assert
        Assert.False(policy.UsesBacktrackingRegex);
    }

    [Theory]
    [InlineData("https://*.co.uk", "co.uk", "https://*.example.co.uk")]
    [InlineData("https://*.github.io", "github.io", "https://*.example.github.io")]
    [InlineData("https://*.herokuapp.com", "herokuapp.com", "https://*.example.herokuapp.com")]
    [InlineData("https://*.foo.kawasaki.jp", "foo.kawasaki.jp", "https://*.example.foo.kawasaki.jp")]
    [InlineData("https://*.co.uk.", "co.uk", "https://*.example.co.uk")]
    [InlineData("https://*.github.io:8443", "github.io", "https://*.example.github.io:8443")]
    public void Build_WildcardOnAPublicSuffix_RefusedWithExactMessage(string entry, string suffix, string fix)
    {
        // Arrange
        var builder = new CorsPolicyBuilder("api").WithOrigins(entry);

        // Act
        var ex = Assert.Throws<CorsPolicyException>(builder.Build);

        // Assert
        Assert.Equal(
            $"CORS policy 'api': \"{entry}\" matches every site under the public suffix \"{suffix}\", where anyone can register a name; name a domain you control under it, such as \"{fix}\"",
            ex.Message);
    }

    [Theory]
    [InlineData("https://*.com.", "com")]
    [InlineData("https://*.COM.:8443", "com")]
    public void Build_WildcardOnATopLevelDomainWithTrailingDot_RefusedAsTheTopLevelDomain(string entry, string tld)
    {
        // Arrange: the dot used to slip "*.com." past the single-label check.
        var builder = new CorsPolicyBuilder("api").WithOrigins(entry);

        // Act
        var ex = Assert.Throws<CorsPolicyException>(builder.Build);

        // Assert
        Assert.Equal(
            $"CORS policy 'api': \"{entry}\" matches every site under the top-level domain \"{tld}\"; name a registrable domain such as \"https://*.example.com\"",
            ex.Message);
    }

    [Theory]
    [InlineData("https://*.notgithub.io")]
    [InlineData("https://*.github.io.example.com")]
    [InlineData("https://*.app.github.io")]
    [InlineData("https://*.example.co.uk")]
    [InlineData("https://*.www.ck")]
    [InlineData("https://*.city.kawasaki.jp")]
    [InlineData("http://*.localhost:5173")]
    public void Build_WildcardOnARegistrableDomain_Accepted(string entry)
    {
        // Act
        var policy = new CorsPolicyBuilder("api").WithOrigins(entry).SetIsOriginAllowedToAllowWildcardSubdomains().AllowCredentials().Build();

        // Assert
        Assert.Single(policy.Origins.WildcardPatterns);
    }

    [Theory]
    [InlineData("https://app.example.com.", "https://app.example.com")]
    [InlineData("HTTPS://App.Example.com.:8443", "https://app.example.com:8443")]
    [InlineData("https://*.example.com.", "https://*.example.com")]
    [InlineData("http://*.example.com.:3000", "http://*.example.com:3000")]
    public void Build_HostWithTrailingDot_RefusedWithTheDotDropped(string entry, string fix)
    {
        // Arrange
        var builder = new CorsPolicyBuilder("api").WithOrigins(entry);

        // Act
        var ex = Assert.Throws<CorsPolicyException>(builder.Build);

        // Assert
        Assert.Equal(
            $"CORS policy 'api': \"{entry}\" ends its host with a dot, which browsers keep: it matches only that spelling of the host, never the origin a site normally sends; write \"{fix}\"",
            ex.Message);
    }

    [Fact]
    public void Build_SeveralRegexProblems_EachNamedInTheOrderOfThePatterns()
    {
        // Arrange
        var builder = new CorsPolicyBuilder("api").WithOriginRegex(@"https://.*\.co\.uk", "https://app.example.com", @"https://ok\.example\.com").AllowCredentials();

        // Act
        var ex = Assert.Throws<CorsPolicyException>(builder.Build);

        // Assert
        Assert.Equal(2, ex.Problems.Count);
        Assert.StartsWith("origin regex \"https://.*\\.co\\.uk\" matches every site under the public suffix \"co.uk\"", ex.Problems[0], StringComparison.Ordinal);
        Assert.StartsWith("origin regex \"https://app.example.com\" has an unescaped '.'", ex.Problems[1], StringComparison.Ordinal);
    }

    [Fact]
    public void BacktrackingRegexMatchTimeout_IsFiftyMilliseconds()
    {
        // Assert
        Assert.Equal(TimeSpan.FromMilliseconds(50), CorsPolicyBuilder.BacktrackingRegexMatchTimeout);
    }
}

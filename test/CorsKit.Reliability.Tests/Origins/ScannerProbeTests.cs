using CorsKit.Evaluation;
using CorsKit.Policies;

namespace CorsKit.Reliability.Tests.Origins;

/// <summary>The probes of a CORS misconfiguration scanner, each one by name, against a policy for <c>https://www.example.com</c>.</summary>
public sealed class ScannerProbeTests
{
    private static readonly CorsPolicy Exact = new CorsPolicyBuilder("exact").WithOrigins("https://www.example.com").AllowCredentials().Build();
    private static readonly CorsPolicy Regex = new CorsPolicyBuilder("regex").WithOriginRegex(@"https://www\.example\.com").AllowCredentials().Build();
    private static readonly CorsPolicy Wildcard = new CorsPolicyBuilder("wildcard").WithOrigins("https://*.www.example.com").SetIsOriginAllowedToAllowWildcardSubdomains().AllowCredentials().Build();

    [Theory]
    [InlineData("reflects any origin", "https://evil.com")]
    [InlineData("prefix match", "https://www.example.com.evil.com")]
    [InlineData("suffix match", "https://evilexample.com")]
    [InlineData("suffix match", "https://evilwww.example.com")]
    [InlineData("substring match", "https://xample.com")]
    [InlineData("substring match", "https://www.example.co")]
    [InlineData("unescaped dot", "https://wwwxexample.com")]
    [InlineData("unescaped dot", "https://www.exampleacom")]
    [InlineData("trusts null", "null")]
    [InlineData("https trusts http", "http://www.example.com")]
    [InlineData("special characters", "https://www.example.com_.evil.com")]
    [InlineData("special characters", "https://www.example.com-.evil.com")]
    [InlineData("special characters", "https://www.example.com~.evil.com")]
    [InlineData("special characters", "https://www.example.com`.evil.com")]
    [InlineData("userinfo", "https://www.example.com@evil.com")]
    [InlineData("two values", "https://www.example.com https://evil.com")]
    [InlineData("two values", "https://www.example.com,https://evil.com")]
    [InlineData("trailing dot", "https://www.example.com.")]
    [InlineData("default port", "https://www.example.com:443")]
    [InlineData("trailing slash", "https://www.example.com/")]
    [InlineData("case", "https://WWW.example.com")]
    [InlineData("homograph", "https://www.ex\u0430mple.com")]
    [InlineData("homograph punycode", "https://www.xn--exmple-4nf.com")]
    public void Evaluate_ScannerProbe_RefusedByExactAndRegex(string probeClass, string origin)
    {
        foreach (var policy in new[] { Exact, Regex })
        {
            var decision = CorsEvaluator.Evaluate(policy, new CorsRequest("GET", origin));

            Assert.False(decision.IsAllowed, $"{probeClass}: policy '{policy.Name}' allowed \"{origin}\"");
            Assert.Null(decision.AllowOrigin);
            Assert.Equal(VaryOn.Origin, decision.Vary);
        }
    }

    [Theory]
    [InlineData("https://evil.www.example.com", true)]
    [InlineData("https://www.example.com", false)]
    [InlineData("https://evilwww.example.com", false)]
    [InlineData("http://evil.www.example.com", false)]
    [InlineData("https://evil.www.example.com:8443", false)]
    public void Evaluate_AnySubdomainProbe_AllowedOnlyUnderAWildcard(string origin, bool allowed)
    {
        Assert.Equal(origin == "https://www.example.com", CorsEvaluator.Evaluate(Exact, new CorsRequest("GET", origin)).IsAllowed);
        Assert.Equal(allowed, CorsEvaluator.Evaluate(Wildcard, new CorsRequest("GET", origin)).IsAllowed);
    }
}

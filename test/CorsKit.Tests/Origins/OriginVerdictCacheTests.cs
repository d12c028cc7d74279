using System.Globalization;
using CorsKit.Evaluation;
using CorsKit.Origins;
using CorsKit.Policies;

namespace CorsKit.Tests.Origins;

public sealed class OriginVerdictCacheTests
{
    [Fact]
    public void TryGet_AfterAdd_ReturnsThatVerdict()
    {
        var cache = new OriginVerdictCache();

        cache.Add("https://a.example.com", allowed: true);
        cache.Add("https://b.example.com", allowed: false);

        Assert.True(cache.TryGet("https://a.example.com", out var a));
        Assert.True(a);
        Assert.True(cache.TryGet("https://b.example.com", out var b));
        Assert.False(b);
        Assert.False(cache.TryGet("https://c.example.com", out _));
    }

    [Fact]
    public void Add_FloodOfDistinctOrigins_StaysWithinTwoTablesOfSlots()
    {
        var cache = new OriginVerdictCache();

        for (var i = 0; i < 100_000; i++)
        {
            cache.Add(string.Create(CultureInfo.InvariantCulture, $"https://tenant-{i}.example.com"), allowed: i % 2 == 0);
        }

        Assert.InRange(cache.Count, 1, 2 * OriginVerdictCache.SlotCount);
    }

    [Fact]
    public void Add_OverlongOrigin_NotKept()
    {
        var cache = new OriginVerdictCache();
        var origin = "https://" + new string('a', OriginVerdictCache.MaxOriginLength) + ".example.com";

        cache.Add(origin, allowed: true);

        Assert.False(cache.TryGet(origin, out _));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void Evaluate_RegexOriginAskedTwice_SameVerdictAndMemoised()
    {
        var policy = new CorsPolicyBuilder().WithOriginRegex(@"https://tenant-[0-9]+\.example\.com").Build();

        var first = CorsEvaluator.Evaluate(policy, new CorsRequest("GET", "https://tenant-7.example.com"));
        var second = CorsEvaluator.Evaluate(policy, new CorsRequest("GET", "https://tenant-7.example.com"));
        var refused = CorsEvaluator.Evaluate(policy, new CorsRequest("GET", "https://tenant-x.example.com"));
        var refusedAgain = CorsEvaluator.Evaluate(policy, new CorsRequest("GET", "https://tenant-x.example.com"));

        Assert.Equal(CorsOutcome.Allowed, first.Outcome);
        Assert.Equal(CorsOutcome.Allowed, second.Outcome);
        Assert.Equal(CorsOutcome.Rejected, refused.Outcome);
        Assert.Equal(CorsOutcome.Rejected, refusedAgain.Outcome);
        Assert.Equal(2, policy.Origins.RegexVerdicts!.Count);
    }

    [Fact]
    public void Evaluate_FloodOfDistinctRegexOrigins_MemoStaysBounded()
    {
        var policy = new CorsPolicyBuilder().WithOriginRegex(@"https://tenant-[0-9]+\.example\.com").Build();

        for (var i = 0; i < 50_000; i++)
        {
            var decision = CorsEvaluator.Evaluate(policy, new CorsRequest("GET", string.Create(CultureInfo.InvariantCulture, $"https://tenant-{i}.example.com")));
            Assert.Equal(CorsOutcome.Allowed, decision.Outcome);
        }

        Assert.InRange(policy.Origins.RegexVerdicts!.Count, 1, 2 * OriginVerdictCache.SlotCount);
    }

    [Fact]
    public void Evaluate_PredicatePolicy_AskedEveryTime()
    {
        var calls = 0;
        var policy = new CorsPolicyBuilder().WithOriginPredicate(_ => ++calls > 0).Build();

        CorsEvaluator.Evaluate(policy, new CorsRequest("GET", "https://a.example.com"));
        CorsEvaluator.Evaluate(policy, new CorsRequest("GET", "https://a.example.com"));

        Assert.Equal(2, calls);
        Assert.Null(policy.Origins.RegexVerdicts);
    }
}

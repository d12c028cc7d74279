using CorsKit.Evaluation;
using CorsKit.Policies;

namespace CorsKit.Tests.Evaluation;

public sealed class CorsEvaluatorAsyncTests
{
    private const string App = "https://app.example.com";

    [Fact]
    public async Task EvaluateAsync_PredicateNotNeeded_CompletesSynchronously()
    {
        var asked = 0;
        var policy = new CorsPolicyBuilder("p").WithOrigins(App).WithOriginPredicate(_ => ++asked > 0).Build();

        var pending = CorsEvaluator.EvaluateAsync(policy, new CorsRequest("GET", App));

        Assert.True(pending.IsCompletedSuccessfully);
        Assert.Equal(App, (await pending).AllowOrigin);
        Assert.Equal(0, asked);
    }

    [Fact]
    public async Task EvaluateAsync_PredicateAllows_OriginEchoed()
    {
        var policy = new CorsPolicyBuilder("p").WithOriginPredicate(o => o.EndsWith(".tenant.example", StringComparison.Ordinal)).Build();

        var decision = await CorsEvaluator.EvaluateAsync(policy, new CorsRequest("GET", "https://a.tenant.example"));

        Assert.Equal(CorsOutcome.Allowed, decision.Outcome);
        Assert.Equal("https://a.tenant.example", decision.AllowOrigin);
    }

    [Fact]
    public async Task EvaluateAsync_PredicateHangs_RefusedAfterTheBoundWithATimeout()
    {
        using var release = new ManualResetEventSlim();
        var policy = new CorsPolicyBuilder("p").WithOriginPredicate(_ => release.Wait(TimeSpan.FromSeconds(30))).Build();

        try
        {
            var decision = await CorsEvaluator.EvaluateAsync(policy, new CorsRequest("GET", App));

            Assert.Equal(RejectionReason.OriginCheckFailed, decision.Reason);
            Assert.IsType<TimeoutException>(decision.Error);
            Assert.Null(decision.AllowOrigin);
            Assert.Equal(VaryOn.Origin, decision.Vary);
        }
        finally
        {
            release.Set();
        }
    }

    [Fact]
    public async Task EvaluateAsync_PredicateThrows_RefusedWithThatException()
    {
        var policy = new CorsPolicyBuilder("p").WithOriginPredicate(_ => throw new InvalidOperationException("store down")).Build();

        var decision = await CorsEvaluator.EvaluateAsync(policy, new CorsRequest("OPTIONS", App, "PUT"));

        Assert.Equal(RejectionReason.OriginCheckFailed, decision.Reason);
        Assert.True(decision.IsPreflight);
        Assert.Equal("store down", decision.Error?.Message);
    }
}

using CorsKit.Evaluation;
using CorsKit.Isolation;
using CorsKit.Policies;
using Microsoft.Extensions.Time.Testing;

namespace CorsKit.Tests.Evaluation;

public sealed class CorsEvaluatorAsyncTests : IDisposable
{
    private const string App = "https://app.example.com";
    private readonly FakeTimeProvider _time = new();
    private readonly ManualResetEventSlim _release = new();
    private readonly UserCodeBulkhead _bulkhead;

    public CorsEvaluatorAsyncTests() => _bulkhead = new UserCodeBulkhead(_time);

    public void Dispose()
    {
        _release.Set();
        _release.Dispose();
    }

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
    public async Task EvaluateAsync_PredicateAsked_DurationIsHowLongItTookOnTheBulkheadsClock()
    {
        var policy = new CorsPolicyBuilder("p").WithOrigins(App).WithOriginPredicate(o =>
        {
            _time.Advance(TimeSpan.FromMilliseconds(15));
            return o == "https://b.example.com";
        }).Build();

        var asked = await CorsEvaluator.EvaluateAsync(policy, new CorsRequest("GET", "https://b.example.com"), _bulkhead, CancellationToken.None);
        var listed = await CorsEvaluator.EvaluateAsync(policy, new CorsRequest("GET", App), _bulkhead, CancellationToken.None);
        var none = await CorsEvaluator.EvaluateAsync(policy, new CorsRequest("GET", null), _bulkhead, CancellationToken.None);

        Assert.Equal(TimeSpan.FromMilliseconds(15), asked.OriginPredicateDuration);
        Assert.Null(listed.OriginPredicateDuration);
        Assert.Null(none.OriginPredicateDuration);
        Assert.Null(CorsEvaluator.Evaluate(policy, new CorsRequest("GET", "https://c.example.com")).OriginPredicateDuration);
    }

    [Fact]
    public async Task EvaluateAsync_PredicateBlocks_RefusedWithATimeoutWhenFakeTimePassesTheBudget()
    {
        using var entered = new ManualResetEventSlim();
        var policy = new CorsPolicyBuilder("p").WithOriginPredicate(Blocking(entered)).Build();

        var pending = CorsEvaluator.EvaluateAsync(policy, new CorsRequest("GET", App), _bulkhead, CancellationToken.None);
        entered.Wait();
        _time.Advance(CorsPolicyBuilder.OriginPredicateTimeout - TimeSpan.FromTicks(1));
        Assert.False(pending.IsCompleted);
        _time.Advance(TimeSpan.FromTicks(1));
        var decision = await pending;

        Assert.Equal(RejectionReason.OriginCheckFailed, decision.Reason);
        Assert.Equal(CorsPolicyBuilder.OriginPredicateTimeout, decision.OriginPredicateDuration);
        Assert.Equal(CorsOutcome.Rejected, decision.Outcome);
        var error = Assert.IsType<TimeoutException>(decision.Error);
        Assert.StartsWith("the origin predicate of policy 'p' did not answer within its budget of 1 s;", error.Message, StringComparison.Ordinal);
        Assert.Null(decision.AllowOrigin);
        Assert.Equal(VaryOn.Origin, decision.Vary);
        Assert.Equal("the origin check of policy 'p' failed (TimeoutException); the origin was refused", decision.Explain());
    }

    [Fact]
    public async Task EvaluateAsync_PolicyWithItsOwnBudget_WaitsThatLong()
    {
        using var entered = new ManualResetEventSlim();
        var policy = new CorsPolicyBuilder("slow").WithOriginPredicate(Blocking(entered)).WithOriginPredicateTimeout(TimeSpan.FromSeconds(5)).Build();

        var pending = CorsEvaluator.EvaluateAsync(policy, new CorsRequest("OPTIONS", App, "PUT"), _bulkhead, CancellationToken.None);
        entered.Wait();
        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.False(pending.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));
        var decision = await pending;

        Assert.True(decision.IsPreflight);
        Assert.StartsWith("the origin predicate of policy 'slow' did not answer within its budget of 5 s;", Assert.IsType<TimeoutException>(decision.Error).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EvaluateAsync_BoundReached_RefusedAtOnceWithoutCallingThePredicate()
    {
        var bulkhead = new UserCodeBulkhead(_time, maxCallsInFlight: 1);
        using var entered = new ManualResetEventSlim();
        var asked = 0;
        var policy = new CorsPolicyBuilder("p").WithOriginPredicate(o =>
        {
            Interlocked.Increment(ref asked);
            entered.Set();
            _release.Wait();
            return true;
        }).Build();
        var first = CorsEvaluator.EvaluateAsync(policy, new CorsRequest("GET", App), bulkhead, CancellationToken.None);
        entered.Wait();

        var second = CorsEvaluator.EvaluateAsync(policy, new CorsRequest("GET", "https://other.example"), bulkhead, CancellationToken.None);

        Assert.True(second.IsCompleted);
        var decision = await second;
        Assert.Equal((CorsOutcome.Rejected, RejectionReason.OriginCheckFailed, VaryOn.Origin), (decision.Outcome, decision.Reason, decision.Vary));
        Assert.Equal(
            "the origin predicate of policy 'p' was not called: bound reached, 1 calls of user code in flight (calls past their budget count until they return); refused at once (fail closed)",
            Assert.IsType<BulkheadFullException>(decision.Error).Message);
        Assert.Equal(1, Volatile.Read(ref asked));
        _release.Set();
        Assert.Equal(App, (await first).AllowOrigin);
    }

    [Fact]
    public async Task EvaluateAsync_RequestAbortedWhileWaiting_Canceled()
    {
        using var entered = new ManualResetEventSlim();
        using var aborted = new CancellationTokenSource();
        var policy = new CorsPolicyBuilder("p").WithOriginPredicate(Blocking(entered)).Build();
        var pending = CorsEvaluator.EvaluateAsync(policy, new CorsRequest("GET", App), _bulkhead, aborted.Token);
        entered.Wait();

        await aborted.CancelAsync();

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await pending);
        Assert.Equal(aborted.Token, error.CancellationToken);
    }

    [Fact]
    public async Task EvaluateAsync_WithoutABulkhead_RunsOffThePool()
    {
        var policy = new CorsPolicyBuilder("p").WithOriginPredicate(_ => !Thread.CurrentThread.IsThreadPoolThread).Build();

        var decision = await CorsEvaluator.EvaluateAsync(policy, new CorsRequest("GET", App));

        Assert.Equal(App, decision.AllowOrigin);
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

    // A predicate that blocks (as a synchronous database call would) until the test ends.
    private Func<string, bool> Blocking(ManualResetEventSlim entered) => _ =>
    {
        entered.Set();
        _release.Wait();
        return true;
    };
}

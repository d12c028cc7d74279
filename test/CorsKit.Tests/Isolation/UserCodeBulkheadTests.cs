using CorsKit.Isolation;
using Microsoft.Extensions.Time.Testing;

namespace CorsKit.Tests.Isolation;

/// <summary>
/// The bulkhead user code runs in: its own threads, the bound on calls in flight, and the budget on a fake clock (no test
/// here waits for real time to pass; a blocked call waits on an event the test releases).
/// </summary>
public sealed class UserCodeBulkheadTests : IDisposable
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(1);
    private readonly FakeTimeProvider _time = new();
    private readonly ManualResetEventSlim _release = new();

    public void Dispose()
    {
        _release.Set();
        _release.Dispose();
    }

    [Fact]
    public void Constructor_NoCallYet_CreatesNoThread()
    {
        var bulkhead = new UserCodeBulkhead(_time);

        Assert.Equal(0, bulkhead.ThreadCount);
        Assert.Equal(UserCodeBulkhead.DefaultMaxCallsInFlight, bulkhead.MaxCallsInFlight);
        Assert.Equal(64, UserCodeBulkhead.DefaultMaxCallsInFlight);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4097)]
    public void Constructor_BoundOutOfRange_Throws(int bound)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new UserCodeBulkhead(_time, bound));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(60_001)]
    public void RunAsync_BudgetOutOfRange_Throws(int milliseconds)
    {
        var bulkhead = new UserCodeBulkhead(_time);

        Assert.Throws<ArgumentOutOfRangeException>(() =>
        {
            _ = bulkhead.RunAsync(static (int x) => x, 1, TimeSpan.FromMilliseconds(milliseconds), "test code", CancellationToken.None);
        });
    }

    [Fact]
    public async Task RunAsync_CodeAnswers_AnswerReturnedOffThePoolAndSlotFreed()
    {
        var bulkhead = new UserCodeBulkhead(_time);

        var (answer, onPool) = await bulkhead.RunAsync(static (int x) => (x * 2, Thread.CurrentThread.IsThreadPoolThread), 21, Budget, "test code", CancellationToken.None);

        Assert.Equal((42, false), (answer, onPool));
        Assert.Equal(0, bulkhead.CallsInFlight);
    }

    [Fact]
    public async Task RunAsync_AsyncCode_ContinuationsStayOffThePool()
    {
        var bulkhead = new UserCodeBulkhead(_time);

        var onPool = await bulkhead.RunAsync(
            static async (int _) =>
            {
                var before = Thread.CurrentThread.IsThreadPoolThread;
                await Task.Yield();
                return before || Thread.CurrentThread.IsThreadPoolThread;
            },
            0,
            Budget,
            "test code",
            CancellationToken.None);

        Assert.False(onPool);
        Assert.Equal(0, bulkhead.CallsInFlight);
    }

    [Fact]
    public async Task RunAsync_CodeBlocksPastTheBudget_TimeoutNamingTheBudgetWhenFakeTimePasses()
    {
        var bulkhead = new UserCodeBulkhead(_time);
        using var entered = new ManualResetEventSlim();

        var pending = bulkhead.RunAsync(Block(entered), 0, TimeSpan.FromMilliseconds(250), "the origin predicate of policy 'p'", CancellationToken.None);
        entered.Wait();
        _time.Advance(TimeSpan.FromMilliseconds(249));
        Assert.False(pending.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        var error = await Assert.ThrowsAsync<TimeoutException>(() => pending);
        Assert.Equal(
            "the origin predicate of policy 'p' did not answer within its budget of 250 ms; refused (fail closed). It keeps its CorsKit thread until it returns (synchronous code cannot be stopped)",
            error.Message);
        Assert.Equal(1, bulkhead.CallsInFlight);
    }

    [Fact]
    public async Task RunAsync_AsyncCodeNeverCompletes_TimeoutWhenFakeTimePasses()
    {
        var bulkhead = new UserCodeBulkhead(_time);
        var never = new TaskCompletionSource<bool>();

        var pending = bulkhead.RunAsync(_ => new ValueTask<bool>(never.Task), 0, Budget, "policy provider 'tenants'", CancellationToken.None);
        _time.Advance(Budget);

        var error = await Assert.ThrowsAsync<TimeoutException>(() => pending);
        Assert.StartsWith("policy provider 'tenants' did not answer within its budget of 1 s;", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, bulkhead.CallsInFlight);
        never.SetResult(true);
        Assert.True(SpinWait.SpinUntil(() => bulkhead.CallsInFlight == 0, TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task RunAsync_BoundReached_RefusedAtOnceWithoutCallingTheCode()
    {
        var bulkhead = new UserCodeBulkhead(_time, maxCallsInFlight: 2);
        using var entered = new CountdownEvent(2);
        var calls = 0;
        Func<int, bool> code = _ =>
        {
            Interlocked.Increment(ref calls);
            entered.Signal();
            _release.Wait();
            return true;
        };
        var first = bulkhead.RunAsync(code, 0, Budget, "test code", CancellationToken.None);
        var second = bulkhead.RunAsync(code, 0, Budget, "test code", CancellationToken.None);
        entered.Wait();

        var third = bulkhead.RunAsync(code, 0, Budget, "the origin predicate of policy 'p'", CancellationToken.None);

        Assert.True(third.IsFaulted);
        var error = await Assert.ThrowsAsync<BulkheadFullException>(() => third);
        Assert.Equal(
            "the origin predicate of policy 'p' was not called: bound reached, 2 calls of user code in flight (calls past their budget count until they return); refused at once (fail closed)",
            error.Message);
        Assert.Equal(2, error.CallsInFlight);
        Assert.Equal(2, Volatile.Read(ref calls));
        _release.Set();
        Assert.True(await first && await second);
    }

    [Fact]
    public async Task RunAsync_CallsThatFinish_FreeTheirSlots()
    {
        var bulkhead = new UserCodeBulkhead(_time, maxCallsInFlight: 1);

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(i, await bulkhead.RunAsync(static (int x) => x, i, Budget, "test code", CancellationToken.None));
            Assert.Equal(i + 1, await bulkhead.RunAsync(static (int x) => ValueTask.FromResult(x + 1), i, Budget, "test code", CancellationToken.None));
        }

        Assert.Equal(0, bulkhead.CallsInFlight);
    }

    [Fact]
    public async Task RunAsync_TimedOutCall_KeepsItsSlotUntilItReturns()
    {
        var bulkhead = new UserCodeBulkhead(_time, maxCallsInFlight: 1);
        using var entered = new ManualResetEventSlim();
        var hung = bulkhead.RunAsync(Block(entered), 0, Budget, "test code", CancellationToken.None);
        entered.Wait();
        _time.Advance(Budget);
        await Assert.ThrowsAsync<TimeoutException>(() => hung);

        await Assert.ThrowsAsync<BulkheadFullException>(() => bulkhead.RunAsync(static (int x) => x, 1, Budget, "test code", CancellationToken.None));
        _release.Set();
        Assert.True(SpinWait.SpinUntil(() => bulkhead.CallsInFlight == 0, TimeSpan.FromSeconds(30)));

        Assert.Equal(7, await bulkhead.RunAsync(static (int x) => x, 7, Budget, "test code", CancellationToken.None));
    }

    [Fact]
    public async Task RunAsync_CodeThrows_ItsExceptionReported()
    {
        var bulkhead = new UserCodeBulkhead(_time);

        Func<int, bool> throws = static _ => throw new InvalidOperationException("store down");
        Func<int, bool> timesOutItself = static _ => throw new TimeoutException("the database timed out");

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => bulkhead.RunAsync(throws, 0, Budget, "test code", CancellationToken.None));
        var own = await Assert.ThrowsAsync<TimeoutException>(() => bulkhead.RunAsync(timesOutItself, 0, Budget, "test code", CancellationToken.None));
        var faulted = await Assert.ThrowsAsync<InvalidOperationException>(() => bulkhead.RunAsync<int, bool>(
            static async _ =>
            {
                await Task.Yield();
                throw new InvalidOperationException("query failed");
            },
            0,
            Budget,
            "test code",
            CancellationToken.None));

        Assert.Equal(("store down", "the database timed out", "query failed"), (thrown.Message, own.Message, faulted.Message));
        Assert.Equal(0, bulkhead.CallsInFlight);
    }

    [Fact]
    public async Task RunAsync_RequestAbortedWhileWaiting_CanceledForThatToken()
    {
        var bulkhead = new UserCodeBulkhead(_time);
        using var entered = new ManualResetEventSlim();
        using var aborted = new CancellationTokenSource();
        var pending = bulkhead.RunAsync(Block(entered), 0, Budget, "test code", aborted.Token);
        entered.Wait();

        await aborted.CancelAsync();

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
        Assert.Equal(aborted.Token, error.CancellationToken);
        Assert.Equal(1, bulkhead.CallsInFlight);
    }

    [Fact]
    public async Task RunAsync_AlreadyAborted_CanceledWithoutCallingTheCode()
    {
        var bulkhead = new UserCodeBulkhead(_time);
        using var aborted = new CancellationTokenSource();
        await aborted.CancelAsync();
        var called = false;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => bulkhead.RunAsync(_ => called = true, 0, Budget, "test code", aborted.Token));

        Assert.False(called);
        Assert.Equal(0, bulkhead.CallsInFlight);
    }

    [Fact]
    public async Task RunAsync_ManyBlockedCalls_EachAdmittedCallStartsWithoutWaitingForAThread()
    {
        const int Bound = 16;
        var bulkhead = new UserCodeBulkhead(_time, Bound);
        using var entered = new CountdownEvent(Bound);
        var blocked = Enumerable.Range(0, Bound).Select(_ => bulkhead.RunAsync(
            i =>
            {
                entered.Signal();
                _release.Wait();
                return i;
            },
            0,
            Budget,
            "test code",
            CancellationToken.None)).ToList();

        // Every call is running at once (each on its own thread), though none has returned.
        Assert.True(entered.Wait(TimeSpan.FromSeconds(30)));
        Assert.Equal(Bound, bulkhead.ThreadCount);
        _release.Set();
        await Task.WhenAll(blocked);
    }

    [Fact]
    public void Format_Budgets_InSecondsOrMilliseconds()
    {
        Assert.Equal(("1 s", "250 ms", "1500 ms"), (UserCodeBulkhead.Format(TimeSpan.FromSeconds(1)), UserCodeBulkhead.Format(TimeSpan.FromMilliseconds(250)), UserCodeBulkhead.Format(TimeSpan.FromMilliseconds(1500))));
    }

    private Func<int, bool> Block(ManualResetEventSlim entered) => _ =>
    {
        entered.Set();
        _release.Wait();
        return true;
    };
}

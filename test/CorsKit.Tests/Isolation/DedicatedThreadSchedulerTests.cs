using CorsKit.Isolation;

namespace CorsKit.Tests.Isolation;

/// <summary>The scheduler under the bulkhead: its own threads, reused, never more than its maximum.</summary>
public sealed class DedicatedThreadSchedulerTests : IDisposable
{
    private readonly ManualResetEventSlim _release = new();

    public void Dispose()
    {
        _release.Set();
        _release.Dispose();
    }

    [Fact]
    public async Task QueueTask_OneAfterAnother_RunOnOneReusedThreadOffThePool()
    {
        var scheduler = new DedicatedThreadScheduler(4, "test");
        var threads = new HashSet<int>();

        for (var i = 0; i < 5; i++)
        {
            var (id, onPool) = await Start(scheduler, () => (Environment.CurrentManagedThreadId, Thread.CurrentThread.IsThreadPoolThread));
            Assert.False(onPool);
            threads.Add(id);

            // The thread goes back to waiting just after its task completes.
            Assert.True(SpinWait.SpinUntil(() => scheduler.IdleThreadCount == 1, TimeSpan.FromSeconds(30)));
        }

        Assert.Single(threads);
        Assert.Equal(1, scheduler.ThreadCount);
    }

    [Fact]
    public async Task QueueTask_MoreTasksThanThreads_TheExtraOneWaitsForAFreeThread()
    {
        var scheduler = new DedicatedThreadScheduler(1, "test");
        using var entered = new ManualResetEventSlim();
        var first = Start(scheduler, () =>
        {
            entered.Set();
            _release.Wait();
            return 1;
        });
        entered.Wait();

        var second = Start(scheduler, () => 2);

        Assert.False(second.IsCompleted);
        Assert.Equal(1, scheduler.ThreadCount);
        _release.Set();
        Assert.Equal((1, 2), (await first, await second));
        Assert.Equal(1, scheduler.ThreadCount);
    }

    [Fact]
    public async Task QueueTask_AsyncLocalOfTheQueuer_SeenByItsTaskOnly()
    {
        var scheduler = new DedicatedThreadScheduler(1, "test");
        var local = new AsyncLocal<string?>();

        local.Value = "first request";
        var first = await Start(scheduler, () => local.Value);
        local.Value = null;
        var second = await Start(scheduler, () => local.Value);

        // Each task runs in the context of whoever queued it, not in that of the request that started the thread.
        Assert.Equal(("first request", (string?)null), (first, second));
    }

    private static Task<T> Start<T>(TaskScheduler scheduler, Func<T> work) =>
        Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.DenyChildAttach, scheduler);
}

using System.Runtime.CompilerServices;
using CorsKit.Sources;

namespace CorsKit.AspNetCore.Tests.Origins;

/// <summary>A store whose first full read waits for <see cref="FirstRelease"/>, then lists Acme; every later read fails.</summary>
public sealed class FirstReadHeldStore : IOriginStore
{
    private int _reads;
    private int _failedReads;

    public TaskCompletionSource FirstEntered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource FirstRelease { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int FailedReads => Volatile.Read(ref _failedReads);

    public async IAsyncEnumerable<TenantOrigins> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _reads) == 1)
        {
            FirstEntered.TrySetResult();
            await FirstRelease.Task.WaitAsync(cancellationToken);
            yield return new TenantOrigins(string.Empty, [SharedSourceHosts.Acme]);
            yield break;
        }

        Interlocked.Increment(ref _failedReads);
        throw new InvalidOperationException("the database went away");
    }

    public Task<IReadOnlyCollection<string>> ListAsync(string tenant, CancellationToken cancellationToken) =>
        Task.FromException<IReadOnlyCollection<string>>(new InvalidOperationException("the database went away"));

    public Task<IAsyncDisposable?> WatchAsync(Action<string?> changed, CancellationToken cancellationToken) =>
        Task.FromResult<IAsyncDisposable?>(null);
}

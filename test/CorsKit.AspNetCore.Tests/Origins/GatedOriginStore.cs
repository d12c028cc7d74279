using System.Runtime.CompilerServices;
using CorsKit.Sources;

namespace CorsKit.AspNetCore.Tests.Origins;

/// <summary>
/// A store whose full read waits until <see cref="Release"/> (<see cref="Entered"/> says it started), then lists
/// <c>origin</c> for no tenant: a slow or hung store. It honours its cancellation unless told to ignore it.
/// </summary>
public sealed class GatedOriginStore(string origin) : IOriginStore
{
    public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Waits for <see cref="Release"/> whatever its token says, as a store deaf to cancellation would.</summary>
    public bool IgnoresCancellation { get; init; }

    /// <summary>Whether a read was cut short by its cancellation.</summary>
    public bool Cancelled { get; private set; }

    /// <summary>Whether the change subscription (which notifies nothing) was ended.</summary>
    public bool Unsubscribed { get; private set; }

    public async IAsyncEnumerable<TenantOrigins> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Entered.TrySetResult();
        try
        {
            await (IgnoresCancellation ? Release.Task : Release.Task.WaitAsync(cancellationToken));
        }
        catch (OperationCanceledException)
        {
            Cancelled = true;
            throw;
        }

        yield return new TenantOrigins(string.Empty, [origin]);
    }

    public Task<IReadOnlyCollection<string>> ListAsync(string tenant, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyCollection<string>>([]);

    public Task<IAsyncDisposable?> WatchAsync(Action<string?> changed, CancellationToken cancellationToken) =>
        Task.FromResult<IAsyncDisposable?>(new Subscription(this));

    private sealed class Subscription(GatedOriginStore store) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            store.Unsubscribed = true;
            return ValueTask.CompletedTask;
        }
    }
}

using System.Runtime.CompilerServices;
using CorsKit.Sources;

namespace CorsKit.AspNetCore.Tests.Origins;

/// <summary>
/// A store that lists <c>origin</c> for no tenant (<see cref="Read"/> says a full read ended) and has change
/// notifications: whether a subscription was taken (<see cref="Subscribed"/>) and disposed (<see cref="Unsubscribed"/>).
/// </summary>
public sealed class WatchedOriginStore(string origin) : IOriginStore
{
    private volatile bool _subscribed;
    private volatile bool _unsubscribed;

    public TaskCompletionSource Read { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool Subscribed => _subscribed;

    public bool Unsubscribed => _unsubscribed;

    /// <summary>What subscribing waits for before the subscription is taken (a subscribe that hangs); nothing by default.</summary>
    public Func<Task>? Subscribing { get; init; }

    /// <summary>What ending the subscription does after it is marked ended (hang, block, throw); nothing by default.</summary>
    public Func<ValueTask>? Unsubscribing { get; init; }

    public async IAsyncEnumerable<TenantOrigins> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        yield return new TenantOrigins(string.Empty, [origin]);
        Read.TrySetResult();
    }

    public Task<IReadOnlyCollection<string>> ListAsync(string tenant, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyCollection<string>>([]);

    public async Task<IAsyncDisposable?> WatchAsync(Action<string?> changed, CancellationToken cancellationToken)
    {
        if (Subscribing is { } subscribing)
        {
            await subscribing();
        }

        _subscribed = true;
        return new Subscription(this);
    }

    private sealed class Subscription(WatchedOriginStore store) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            store._unsubscribed = true;
            return store.Unsubscribing?.Invoke() ?? ValueTask.CompletedTask;
        }
    }
}

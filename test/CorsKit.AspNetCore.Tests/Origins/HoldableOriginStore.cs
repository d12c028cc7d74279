using System.Runtime.CompilerServices;
using CorsKit.Sources;

namespace CorsKit.AspNetCore.Tests.Origins;

/// <summary>
/// A store in memory that can be down (every full read throws) and can hold the next full read to begin until released
/// (a slow or hung read of one host while the other hosts' reads fail at once). A held read honours its cancellation.
/// </summary>
public sealed class HoldableOriginStore : IOriginStore
{
    private Gate? _next;
    private Action<string?>? _changed;
    private int _fullReads;
    private int _failedReads;

    public string[] Origins { get; set; } = [SharedSourceHosts.Acme];

    /// <summary>While set, a full read throws (after its hold, if held).</summary>
    public bool Down { get; set; }

    /// <summary>How many full reads have begun.</summary>
    public int FullReads => Volatile.Read(ref _fullReads);

    /// <summary>How many full reads have thrown.</summary>
    public int FailedReads => Volatile.Read(ref _failedReads);

    /// <summary>Tells the host that subscribed last to read everything.</summary>
    public void ChangedAll() => _changed?.Invoke(null);

    /// <summary>The next full read to begin waits for the gate's release.</summary>
    public Gate HoldNextRead()
    {
        var gate = new Gate();
        Volatile.Write(ref _next, gate);
        return gate;
    }

    public async IAsyncEnumerable<TenantOrigins> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _fullReads);
        if (Interlocked.Exchange(ref _next, null) is { } gate)
        {
            gate.Entered.TrySetResult();
            await gate.Release.Task.WaitAsync(cancellationToken);
        }

        if (Down)
        {
            Interlocked.Increment(ref _failedReads);
            throw new InvalidOperationException("the database went away");
        }

        await Task.Yield();
        yield return new TenantOrigins(string.Empty, Origins);
    }

    public Task<IReadOnlyCollection<string>> ListAsync(string tenant, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyCollection<string>>(tenant.Length == 0 ? Origins : []);

    public Task<IAsyncDisposable?> WatchAsync(Action<string?> changed, CancellationToken cancellationToken)
    {
        _changed = changed;
        return Task.FromResult<IAsyncDisposable?>(null);
    }

    public sealed class Gate
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using CorsKit.Sources;

namespace CorsKit.AspNetCore.Tests.Origins;

/// <summary>An app's own store, in memory: notifies changes, and can be told to fail part way through a full read.</summary>
public sealed class MemoryOriginStore : IOriginStore
{
    private Action<string?>? _changed;
    private Gate? _next;
    private int _failedReads;
    private int _fullReads;

    public ConcurrentDictionary<string, string[]> Tenants { get; } = new(StringComparer.Ordinal);

    /// <summary>When set, a full read yields this many tenants, then throws.</summary>
    public int? FailAfter { get; set; }

    /// <summary>How many full reads have thrown.</summary>
    public int FailedReads => Volatile.Read(ref _failedReads);

    /// <summary>How many full reads have begun.</summary>
    public int FullReads => Volatile.Read(ref _fullReads);

    public void Set(string tenant, params string[] origins)
    {
        Tenants[tenant] = origins;
        _changed?.Invoke(tenant);
    }

    public void ChangedAll() => _changed?.Invoke(null);

    /// <summary>The next full read to begin waits for the gate's release (honouring its cancellation), then reads as usual.</summary>
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

        var yielded = 0;
        foreach (var (tenant, origins) in Tenants.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            if (yielded == FailAfter)
            {
                Interlocked.Increment(ref _failedReads);
                throw new InvalidOperationException("the database went away mid-read");
            }

            await Task.Yield();
            yield return new TenantOrigins(tenant, origins);
            yielded++;
        }
    }

    public Task<IReadOnlyCollection<string>> ListAsync(string tenant, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyCollection<string>>(Tenants.TryGetValue(tenant, out var origins) ? origins : []);

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

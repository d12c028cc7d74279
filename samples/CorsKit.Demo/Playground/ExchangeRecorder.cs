using System.Collections.Concurrent;

namespace CorsKit.Demo.Playground;

/// <summary>
/// Keeps the exchanges of requests tagged with <see cref="QueryParameter"/>, by run, so that the browser model can be run
/// over exactly the headers a browser and the server exchanged (preflights included, which script never sees).
/// Holds the latest <see cref="MaxRuns"/> runs.
/// </summary>
public sealed class ExchangeRecorder
{
    /// <summary>The query parameter that tags a request with its run id: <c>?corskit-run=...</c>.</summary>
    public const string QueryParameter = "corskit-run";

    /// <summary>How many runs are kept; the oldest go first.</summary>
    public const int MaxRuns = 500;

    /// <summary>How many exchanges one run keeps (a redirect chain is at most 21 requests, each with a preflight).</summary>
    public const int MaxExchangesPerRun = 64;

    private readonly ConcurrentDictionary<string, Run> _runs = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();
    private readonly TimeProvider _time;

    /// <summary>Creates a recorder.</summary>
    /// <param name="time">The clock (tests may pass a fake).</param>
    public ExchangeRecorder(TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Notes that a request of <paramref name="runId"/> arrived; returns its sequence number and arrival time.</summary>
    /// <param name="runId">The run id from the query string.</param>
    public (int Sequence, DateTimeOffset At) Begin(string runId)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        if (!_runs.TryGetValue(runId, out var run))
        {
            var created = new Run();
            run = _runs.GetOrAdd(runId, created);
            if (ReferenceEquals(run, created))
            {
                _order.Enqueue(runId);
            }
        }

        while (_order.Count > MaxRuns && _order.TryDequeue(out var oldest))
        {
            _runs.TryRemove(oldest, out _);
        }

        lock (run)
        {
            run.Pending++;
            return (run.Started++, _time.GetUtcNow());
        }
    }

    /// <summary>Stores a finished exchange of <paramref name="runId"/>.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="exchange">The exchange.</param>
    public void Complete(string runId, RecordedExchange exchange)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        if (!_runs.TryGetValue(runId, out var run))
        {
            return;
        }

        lock (run)
        {
            run.Pending--;
            if (run.Exchanges.Count < MaxExchangesPerRun)
            {
                run.Exchanges.Add(exchange);
            }
        }
    }

    /// <summary>
    /// The exchanges of <paramref name="runId"/> in order of arrival, once none is in flight (a response reaches the
    /// browser a moment before the server's completion callback runs), or what there is after <paramref name="timeout"/>.
    /// </summary>
    /// <param name="runId">The run id.</param>
    /// <param name="timeout">How long to wait for exchanges in flight.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public async Task<IReadOnlyList<RecordedExchange>> WaitForAsync(string runId, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = _time.GetUtcNow() + timeout;
        while (true)
        {
            if (!_runs.TryGetValue(runId, out var run))
            {
                return [];
            }

            lock (run)
            {
                if (run.Pending == 0 || _time.GetUtcNow() >= deadline)
                {
                    return [.. run.Exchanges.OrderBy(e => e.Sequence)];
                }
            }

            await Task.Delay(10, cancellationToken).ConfigureAwait(false);
        }
    }

    private sealed class Run
    {
        public List<RecordedExchange> Exchanges { get; } = [];

        public int Pending { get; set; }

        public int Started { get; set; }
    }
}

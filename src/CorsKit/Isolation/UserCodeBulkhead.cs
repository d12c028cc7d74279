using System.Globalization;

namespace CorsKit.Isolation;

/// <summary>
/// Where CorsKit runs user code that may block: origin predicates and policy providers. Each call runs on a thread
/// owned by CorsKit, never a thread-pool thread, so user code that hangs cannot starve requests that need none. At most
/// <see cref="MaxCallsInFlight"/> calls are in flight at once, counting calls past their budget that have not returned
/// yet (.NET cannot stop synchronous code); a call beyond that is refused at once, without running the user code. Each
/// call is awaited at most its budget, measured with <see cref="TimeProvider"/> from its admission: an admitted call
/// never waits for a thread (there is one per call in flight), so admission is its start.
/// </summary>
/// <remarks>
/// A call is in flight from its admission until the user code returns, or, for code that returns a task, until that
/// task completes: an asynchronous provider whose task never completes keeps its place for good, and the bound turns a
/// leak of such calls into fail-closed answers rather than unbounded memory. The threads are created when first needed
/// (none while no user code runs) and end after 30 seconds without work.
/// </remarks>
public sealed class UserCodeBulkhead
{
    /// <summary>The default of <see cref="MaxCallsInFlight"/>: 64 calls (so at most 64 threads of CorsKit's own).</summary>
    public const int DefaultMaxCallsInFlight = 64;

    /// <summary>The largest <see cref="MaxCallsInFlight"/> accepted: 4,096 (each call in flight may hold a thread).</summary>
    public const int MaxCallsInFlightLimit = 4096;

    /// <summary>The longest budget accepted for one call: 1 minute. A CORS answer that takes longer is a failure anyway.</summary>
    public static readonly TimeSpan MaxBudget = TimeSpan.FromMinutes(1);

    private readonly DedicatedThreadScheduler _threads;
    private int _inFlight;

    /// <summary>Creates a bulkhead with its own threads (none is created until user code is called).</summary>
    /// <param name="timeProvider">The clock that measures the budgets (<see cref="TimeProvider.System"/>, or a fake one in tests).</param>
    /// <param name="maxCallsInFlight">How many calls may be in flight at once, 1 to <see cref="MaxCallsInFlightLimit"/>. Default <see cref="DefaultMaxCallsInFlight"/> (64).</param>
    public UserCodeBulkhead(TimeProvider timeProvider, int maxCallsInFlight = DefaultMaxCallsInFlight)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCallsInFlight, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxCallsInFlight, MaxCallsInFlightLimit);
        TimeProvider = timeProvider;
        MaxCallsInFlight = maxCallsInFlight;
        _threads = new DedicatedThreadScheduler(maxCallsInFlight, "CorsKit user code");
    }

    /// <summary>The process-wide bulkhead (system clock, default bound) of the overloads that take none.</summary>
    internal static UserCodeBulkhead Shared { get; } = new(TimeProvider.System);

    /// <summary>The clock that measures the budgets.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>How many calls may be in flight at once; beyond that a call is refused with <see cref="BulkheadFullException"/>.</summary>
    public int MaxCallsInFlight { get; }

    /// <summary>The calls in flight now: admitted, and not yet returned (including calls past their budget).</summary>
    public int CallsInFlight => Volatile.Read(ref _inFlight);

    /// <summary>The threads of this bulkhead alive now (for tests).</summary>
    internal int ThreadCount => _threads.ThreadCount;

    /// <summary>
    /// Calls synchronous user code on a thread of this bulkhead and waits for its answer at most <paramref name="budget"/>.
    /// The task fails with <see cref="BulkheadFullException"/> (the code was not called), <see cref="TimeoutException"/>
    /// (past the budget; the code keeps its thread until it returns), what the code threw, or
    /// <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> ends the wait.
    /// </summary>
    /// <typeparam name="TState">What the code is given.</typeparam>
    /// <typeparam name="TResult">What it answers.</typeparam>
    /// <param name="call">The user code.</param>
    /// <param name="state">Its argument.</param>
    /// <param name="budget">How long to wait, more than zero and at most <see cref="MaxBudget"/>.</param>
    /// <param name="caller">What is called, for the messages, such as <c>the origin predicate of policy 'api'</c>.</param>
    /// <param name="cancellationToken">Ends the wait (the request was aborted); the code is not stopped.</param>
    public Task<TResult> RunAsync<TState, TResult>(Func<TState, TResult> call, TState state, TimeSpan budget, string caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        return Run(
            () => Task.Factory.StartNew(
                () =>
                {
                    try
                    {
                        return call(state);
                    }
                    finally
                    {
                        Release();
                    }
                },
                CancellationToken.None,
                TaskCreationOptions.DenyChildAttach,
                _threads),
            budget,
            caller,
            cancellationToken);
    }

    /// <summary>
    /// Calls user code that answers with a task, like <see cref="RunAsync{TState, TResult}(Func{TState, TResult}, TState, TimeSpan, string, CancellationToken)"/>:
    /// its synchronous part runs on a thread of this bulkhead, and so do its continuations that do not opt out
    /// (<c>ConfigureAwait(false)</c>); the call is in flight until its task completes.
    /// </summary>
    /// <typeparam name="TState">What the code is given.</typeparam>
    /// <typeparam name="TResult">What it answers.</typeparam>
    /// <param name="call">The user code.</param>
    /// <param name="state">Its argument.</param>
    /// <param name="budget">How long to wait, more than zero and at most <see cref="MaxBudget"/>.</param>
    /// <param name="caller">What is called, for the messages, such as <c>policy provider 'tenants'</c>.</param>
    /// <param name="cancellationToken">Ends the wait (the request was aborted); the code is not stopped.</param>
    public Task<TResult> RunAsync<TState, TResult>(Func<TState, ValueTask<TResult>> call, TState state, TimeSpan budget, string caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        return Run(
            () => Task.Factory.StartNew(() => CallAsync(call, state), CancellationToken.None, TaskCreationOptions.DenyChildAttach, _threads).Unwrap(),
            budget,
            caller,
            cancellationToken);
    }

    // Admits the call (or refuses it), starts it on a thread of this bulkhead (`start` releases its place when the user
    // code returns), and waits for it within the budget.
    private Task<TResult> Run<TResult>(Func<Task<TResult>> start, TimeSpan budget, string caller, CancellationToken cancellationToken)
    {
        var admitted = TimeProvider.GetTimestamp();
        if (Refuse<TResult>(budget, caller, cancellationToken) is { } refused)
        {
            return refused;
        }

        Task<TResult> run;
        try
        {
            run = start();
        }
        catch
        {
            Release();
            throw;
        }

        return run.IsCompleted ? run : WaitAsync(run, admitted, budget, caller, cancellationToken);
    }

    /// <summary>Formats a budget for messages: <c>1 s</c>, <c>250 ms</c>.</summary>
    internal static string Format(TimeSpan budget) =>
        budget.Ticks % TimeSpan.TicksPerSecond == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{(long)budget.TotalSeconds} s")
            : string.Create(CultureInfo.InvariantCulture, $"{budget.TotalMilliseconds:0.###} ms");

    // Validates the arguments, then admits the call, or says why not (a failed task): cancelled, or the bound reached.
    private Task<TResult>? Refuse<TResult>(TimeSpan budget, string caller, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(budget, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(budget, MaxBudget);
        ArgumentException.ThrowIfNullOrEmpty(caller);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<TResult>(cancellationToken);
        }

        if (Interlocked.Increment(ref _inFlight) <= MaxCallsInFlight)
        {
            return null;
        }

        Release();
        return Task.FromException<TResult>(new BulkheadFullException(string.Create(
            CultureInfo.InvariantCulture,
            $"{caller} was not called: bound reached, {MaxCallsInFlight} calls of user code in flight (calls past their budget count until they return); refused at once (fail closed)"))
        {
            CallsInFlight = MaxCallsInFlight,
        });
    }

    private void Release() => Interlocked.Decrement(ref _inFlight);

    private async Task<TResult> CallAsync<TState, TResult>(Func<TState, ValueTask<TResult>> call, TState state)
    {
        try
        {
            return await call(state).ConfigureAwait(false);
        }
        finally
        {
            Release();
        }
    }

    // The budget counts from admission (the timestamp is read before the call is counted in flight, so whoever sees it
    // counted, or sees the code running, knows its budget is running): only what is left of it is waited for here.
    private async Task<TResult> WaitAsync<TResult>(Task<TResult> run, long admitted, TimeSpan budget, string caller, CancellationToken cancellationToken)
    {
        var left = budget - TimeProvider.GetElapsedTime(admitted);
        var wait = run.WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero, TimeProvider, cancellationToken);

        // The clock may have moved on between reading it and the timer's creation, which then counts from the later
        // time: read it again, so the budget is never stretched (with a fake clock advanced in between, it would be
        // stretched for good).
        if (!wait.IsCompleted && TimeProvider.GetElapsedTime(admitted) >= budget)
        {
            wait = Task.FromException<TResult>(new TimeoutException());
        }

        try
        {
            return await wait.ConfigureAwait(false);
        }
        catch (TimeoutException ex) when (!ReferenceEquals(ex, run.Exception?.InnerException))
        {
            // The budget ran out (not a TimeoutException the user code threw itself).
            throw new TimeoutException($"{caller} did not answer within its budget of {Format(budget)}; refused (fail closed). It keeps its CorsKit thread until it returns (synchronous code cannot be stopped)");
        }
    }
}

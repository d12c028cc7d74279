namespace CorsKit.Isolation;

/// <summary>
/// Runs tasks on threads of its own, never the thread pool's. A task queued while no thread of this scheduler is idle
/// gets a new thread (up to <see cref="MaximumConcurrencyLevel"/>), so it starts at once; past the maximum it waits for
/// one to finish. Threads are created when first needed and end after <see cref="IdleTimeout"/> without work.
/// </summary>
/// <remarks>
/// Each thread has its own hand-off slot: a queued task is given to one idle thread under the lock, so two tasks queued
/// at once never count on the same idle thread (which would make one of them wait).
/// </remarks>
internal sealed class DedicatedThreadScheduler : TaskScheduler
{
    /// <summary>How long a thread stays without work before it ends.</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(30);

    [ThreadStatic]
    private static DedicatedThreadScheduler? t_current;

    private readonly Lock _lock = new();
    private readonly List<Worker> _idle = [];
    private readonly Queue<Task> _waiting = new();
    private readonly int _maxThreads;
    private readonly string _threadName;
    private int _threads;

    public DedicatedThreadScheduler(int maxThreads, string threadName)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxThreads, 1);
        _maxThreads = maxThreads;
        _threadName = threadName;
    }

    /// <inheritdoc/>
    public override int MaximumConcurrencyLevel => _maxThreads;

    /// <summary>The threads alive now, idle or busy (for tests).</summary>
    public int ThreadCount
    {
        get
        {
            lock (_lock)
            {
                return _threads;
            }
        }
    }

    /// <summary>The threads waiting for work now (for tests).</summary>
    public int IdleThreadCount
    {
        get
        {
            lock (_lock)
            {
                return _idle.Count;
            }
        }
    }

    /// <inheritdoc/>
    protected override void QueueTask(Task task)
    {
        Worker? idle = null;
        var start = false;
        lock (_lock)
        {
            if (_idle.Count > 0)
            {
                idle = _idle[^1];
                _idle.RemoveAt(_idle.Count - 1);
                idle.Next = task;
            }
            else if (_threads < _maxThreads)
            {
                _threads++;
                start = true;
            }
            else
            {
                _waiting.Enqueue(task);
            }
        }

        if (idle is not null)
        {
            idle.Signal.Release();
        }
        else if (start)
        {
            Start(task);
        }
    }

    // Only on a thread of this scheduler: a thread-pool thread must never run the user code itself.
    /// <inheritdoc/>
    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) =>
        t_current == this && TryExecuteTask(task);

    /// <inheritdoc/>
    protected override IEnumerable<Task> GetScheduledTasks()
    {
        lock (_lock)
        {
            return [.. _waiting];
        }
    }

    private void Start(Task first)
    {
        var worker = new Worker { Next = first };
        try
        {
            // UnsafeStart: the thread must not keep the execution context (the AsyncLocals of the request that happened to
            // start it) for its whole life; each task runs in the context it captured when it was queued.
            new Thread(Run) { IsBackground = true, Name = _threadName }.UnsafeStart(worker);
        }
        catch
        {
            lock (_lock)
            {
                _threads--;
            }

            throw;
        }
    }

    private void Run(object? state)
    {
        var worker = (Worker)state!;
        t_current = this;
        var task = worker.Take();
        while (task is not null)
        {
            TryExecuteTask(task);
            task = NextTask(worker);
        }
    }

    // A task that waited for a thread, else the next one handed to this thread; null when the thread should end.
    private Task? NextTask(Worker worker)
    {
        lock (_lock)
        {
            if (_waiting.TryDequeue(out var waiting))
            {
                return waiting;
            }

            _idle.Add(worker);
        }

        while (!worker.Signal.Wait(IdleTimeout))
        {
            lock (_lock)
            {
                // Still idle (nobody handed it a task): end. Otherwise a task was handed over just now; take it.
                if (_idle.Remove(worker))
                {
                    _threads--;
                    worker.Signal.Dispose();
                    return null;
                }
            }
        }

        return worker.Take();
    }

    private sealed class Worker
    {
        public SemaphoreSlim Signal { get; } = new(0, 1);

        // Written under the scheduler's lock before Signal is released; read by the worker after it is.
        public Task? Next { get; set; }

        public Task? Take()
        {
            var task = Next;
            Next = null;
            return task;
        }
    }
}

using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using CorsKit.Sources;
using Microsoft.Extensions.Logging;

namespace CorsKit.AspNetCore.Origins;

/// <summary>
/// Keeps one <see cref="OriginSource"/>'s local copy current, on a loop of its own (requests never wait for it):
/// 1. at startup, a full read; if the store cannot be read: the copy another host in this process read, if any, as in 4.
///    (a copy no host syncs any more only while it turned stale, or was last read, within MaxStaleness); else the snapshot
///    file, if one is configured and saved within MaxStaleness (stale); else fail closed;
/// 2. a change notification queues its tenant (or a full read); queued tenants are coalesced, so a flood of changes costs
///    at most one read per tenant per turn of the loop;
/// 3. a full read every <see cref="OriginSourceOptions.ResyncInterval"/> heals lost notifications;
/// 4. a failed read marks the copy stale (logged once), retries every <see cref="OriginSourceOptions.RetryInterval"/>, and
///    fails closed (logged once) <see cref="OriginSourceOptions.MaxStaleness"/> after the copy turned stale (whichever host
///    syncing it noticed first; a snapshot: when it was saved) unless a full read, of this host or another, has landed
///    since (another host's read makes it stale again from this host's next failed retry); the first read that succeeds
///    makes it current again (logged). The deadline is also the copy's own: every lookup refuses a stale copy past it, so it
///    holds when this host's timer runs late or no host tracks it any more. A host that stops during an outage hands its
///    retries and the timer to the other hosts syncing the source, if any; the last one to stop leaves a current copy stale
///    from its last read.
/// Every read builds the new set apart and swaps it in whole, so a read that fails half way changes nothing.
/// </summary>
internal sealed class OriginSourceSync : IAsyncDisposable
{
    // How long a stop still waits for a read or loop told to end, once the host's own stop token has run out.
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(1);

    // What the hosts in this process that sync a source share about it.
    private static readonly ConditionalWeakTable<OriginSource, SourceHosts> Running = new();

    private readonly OriginSource _source;
    private readonly SourceHosts _hosts;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Action<string, bool, TimeSpan, bool>? _recordRead;
    private readonly ConcurrentDictionary<string, byte> _pendingTenants = new(StringComparer.Ordinal);
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stopping = new();

    // _stopping's token, taken while it is not disposed: what runs after a stop (a read that ignored it) still reads it.
    private readonly CancellationToken _stopToken;
    private readonly Lock _timers = new();
    private int _fullPending;
    private ITimer? _resync;
    private ITimer? _retry;
    private ITimer? _staleness;
    private IAsyncDisposable? _watch;
    private bool _failing;

    // Tracking an outage another host noticed and handed over when it stopped (TakeOverOutage): retrying, and failing the
    // copy closed at its deadline, though no read of this host has failed yet (its first failed read still logs 42).
    private bool _tookOver;

    // Whether this host retries the store and keeps the copy's deadline: its own outage, or one handed over.
    private bool TracksOutage => _failing || _tookOver;

    // The source's full reads when this host's outage began, or when it last saw another host read the store during it.
    private long _outageReads;
    private Task _loop = Task.CompletedTask;
    private Task _start = Task.CompletedTask;
    private Task _firstRead = Task.CompletedTask;

    public OriginSourceSync(OriginSource source, TimeProvider time, ILogger logger, Action<string, bool, TimeSpan, bool>? recordRead = null)
    {
        _recordRead = recordRead;
        _source = source;
        _hosts = Running.GetOrCreateValue(source);
        _stopToken = _stopping.Token;
        _time = time;
        _logger = logger;
    }

    public OriginSource Source => _source;

    /// <summary>
    /// How many failed reads of <paramref name="source"/> the hosts of this process have handled: the copy marked stale or
    /// refused, the log written, the retry and staleness timers armed. For tests that move a fake clock on only once that
    /// is done (a timer armed after the move would count from the later time).
    /// </summary>
    internal static int FailedReadsHandled(OriginSource source) => Running.TryGetValue(source, out var hosts) ? hosts.FailedReadsHandled : 0;

    /// <summary>How many full reads and tenant reads the loop has made (for tests of coalescing).</summary>
    public int Reads { get; private set; }

    /// <summary>The first full read (awaited, so the app starts with its origins), then the loop.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Registered from the first read on: a host still reading for the first time may serve the copy already (another
        // host's), so it takes over an outage too.
        lock (_hosts.Syncs)
        {
            _hosts.Syncs.Add(this);
        }

        // The stop cuts the first read short, and waits for it (bounded), in the host's StartingAsync too.
        using var stopOrCancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopToken);
        try
        {
            // Started on a thread of its own, so the stop sees it even while a store blocks the caller's thread.
            var firstRead = Task.Run(() => ReadFirstAndLoopAsync(stopOrCancel.Token), CancellationToken.None);
            _firstRead = firstRead;
            await firstRead.ConfigureAwait(false);
        }
        catch
        {
            // Cut short: the host may never stop this sync.
            HandOverOutage();
            throw;
        }
    }

    private async Task ReadFirstAndLoopAsync(CancellationToken cancellationToken)
    {
        await TryWatchAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // A first read dropped (another host's, begun later, landed first) is made again here, so that its failure
            // is a failure at startup (44, 45 or 42), not one the loop would take for a later outage.
            while (!await ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && !_stopping.IsCancellationRequested)
        {
            await StartStaleOrClosedAsync(ex, cancellationToken).ConfigureAwait(false);
            _hosts.FailedReadHandled();
        }

        // Cut short (whatever the store threw for it): not a failure of the store, and nothing more to start.
        cancellationToken.ThrowIfCancellationRequested();
        var options = _source.Options;
        lock (_timers)
        {
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            _resync = _time.CreateTimer(_ => RequestFullRead(), null, options.ResyncInterval, options.ResyncInterval);
            _loop = Task.Run(LoopAsync, CancellationToken.None);
        }
    }

    /// <summary>
    /// <see cref="StartAsync"/> without waiting for the first read (the source refuses its origins until it ends);
    /// <see cref="StopAsync"/> cancels it.
    /// </summary>
    public void StartInBackground() => _start = Task.Run(() => StartAsync(_stopToken), CancellationToken.None);

    /// <summary>Queues a read of <paramref name="tenant"/>, or of everything when <see langword="null"/>.</summary>
    public void Changed(string? tenant)
    {
        if (tenant is null)
        {
            RequestFullRead();
            return;
        }

        _pendingTenants.TryAdd(tenant, 0);
        _wake.Writer.TryWrite(true);
    }

    public ValueTask DisposeAsync() => new(StopAsync(CancellationToken.None));

    /// <summary>
    /// Stops the first read if it still runs, the timers and the loop, waiting for them until
    /// <paramref name="cancellationToken"/> (the host's shutdown timeout): a read whose store ignores its cancellation is
    /// then left to end on its own (event 50), and neither starts anything nor changes the copy when it does. Ends the
    /// store's change subscription beside them, with the same bound: one that hangs or throws is left (event 53).
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
        }
        catch (AggregateException)
        {
            // A store's own cancellation callback threw (a driver cancelling on a connection that is gone). The token is
            // canceled all the same, and the stop goes on: timers, hand-over, subscription.
        }

        // Whatever creates a timer or the loop, or keeps a subscription, checks _stopping under this lock, so none outlives
        // this: a subscription that lands from now on is ended as it lands (TryWatchAsync).
        IAsyncDisposable? watch;
        lock (_timers)
        {
            _resync?.Dispose();
            _retry?.Dispose();
            _staleness?.Dispose();
            watch = _watch;
        }

        HandOverOutage();

        // The subscription ends beside the first read and the loop, so the stop waits one grace for all of them.
        var unsubscribed = watch is null ? Task.CompletedTask : EndWatchAsync(watch, cancellationToken);
        try
        {
            await EndedAsync(_start, cancellationToken).ConfigureAwait(false);
            await EndedAsync(_firstRead, cancellationToken).ConfigureAwait(false);
            await EndedAsync(_loop, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Log.OriginSourceStopAbandoned(_logger, _source.Name);
            await unsubscribed.ConfigureAwait(false);
            return;
        }

        await unsubscribed.ConfigureAwait(false);
        _stopping.Dispose();
    }

    // Ending the subscription runs the store's code (an unsubscribe over the network, an app's listener): on a thread of
    // its own, in case it blocks, and waited for as a read is, so it neither holds up nor fails the host's stop. Never
    // throws.
    private async Task EndWatchAsync(IAsyncDisposable watch, CancellationToken cancellationToken)
    {
        var ending = Task.Run(async () => await watch.DisposeAsync().ConfigureAwait(false), CancellationToken.None);
        try
        {
            await EndedAsync(ending, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Log.OriginSourceSubscriptionNotEnded(_logger, null, _source.Name, "ending it did not finish within the host's shutdown timeout and 1 s");
            return;
        }

        if (!ending.IsCompletedSuccessfully)
        {
            // Faulted, or canceled (a TaskCanceledException of its own, such as an HTTP client's timeout).
            Exception? failure = null;
            try
            {
                await ending.ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                failure = ex;
            }

            Log.OriginSourceSubscriptionNotEnded(_logger, failure, _source.Name, "ending it threw");
        }
    }

    // Waits for a task that _stopping has told to end, until cancellationToken; past it, still StopGrace (real time),
    // since the host may hand over a token its own draining already spent, and a read or loop that honours its
    // cancellation ends within it. Throws OperationCanceledException only when the task is still running after both.
    // A read cut short by the stop ends the task with whatever the store threw: that is the stop, not a failure.
    private static async Task EndedAsync(Task task, CancellationToken cancellationToken)
    {
        try
        {
            await task.WaitAsync(cancellationToken).ConfigureAwait(false);
            return;
        }
        catch (Exception) when (task.IsCompleted)
        {
            // ended: cut short by the stop (whatever the store threw for it, a TimeoutException included), or as it was
            // waited for
            return;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // the host's token ran out, possibly before this stop began: the grace follows
        }

        try
        {
            await task.WaitAsync(StopGrace, TimeProvider.System, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception) when (task.IsCompleted)
        {
            // ended within the grace
        }
        catch (TimeoutException ex)
        {
            throw new OperationCanceledException("the task did not end within the stop's grace", ex, cancellationToken);
        }
    }

    // This host stops. If it tracks an outage (the store cannot be read: it retries, and fails the stale copy closed at
    // its deadline), every other host syncing the source takes that over; else a copy refused already would stay refused
    // once the store is back, until another host's next resync, and nobody would log 43 at the deadline (the lookups
    // refuse the copy from then anyway). If no other host syncs it, the copy is left stale (LeaveCopyStale).
    private void HandOverOutage()
    {
        OriginSourceSync[] others;
        lock (_hosts.Syncs)
        {
            _hosts.Syncs.Remove(this);
            others = [.. _hosts.Syncs];
            LeaveCopyStale();
        }

        if (TracksOutage)
        {
            foreach (var other in others)
            {
                other.TakeOverOutage();
            }
        }
    }

    // Under _hosts.Syncs, this host no longer in it. If no host syncs the source, nothing keeps a current copy current any
    // more: it is stale from its last read, so a host that serves it without syncing it (through an inline policy before
    // its own sync starts, or a policy provider's policy) refuses it MaxStaleness later, unless a host reads the store. A
    // host that registers later reads the store first.
    private void LeaveCopyStale()
    {
        if (_hosts.Syncs.Count == 0 && _source.LastReadAt is { } lastRead)
        {
            _source.MarkStale(lastRead, _time);
        }
    }

    // Another host tracking an outage of this source stopped: retry, and fail the copy closed at its deadline. Nothing is
    // logged: that host logged the outage (42, or 43 once the copy was refused), and this host logs it when a read of its
    // own fails, as usual.
    private void TakeOverOutage()
    {
        if (_source.Status is not (OriginSourceStatus.Stale or OriginSourceStatus.FailedClosed))
        {
            return;
        }

        // A host tracking an outage of its own re-arms its deadline from the copy's too: its timer may have fired already
        // (a full read by the stopping host landed since), and would move only at its next failed retry.
        _tookOver = !_failing;
        var fullReads = _source.FullReads;
        StartFailureTimers(CopyDeadlineOr(_time.GetUtcNow()), fullReads);
    }

    // The stale copy's deadline, the one its lookups check; a copy no longer stale (another host failed it closed meanwhile)
    // has none: MaxStaleness from staleFrom.
    private DateTimeOffset CopyDeadlineOr(DateTimeOffset staleFrom) => _source.RefusedFrom ?? staleFrom + _source.Options.MaxStaleness;

    private void RequestFullRead()
    {
        Volatile.Write(ref _fullPending, 1);
        _wake.Writer.TryWrite(true);
    }

    private async Task LoopAsync()
    {
        var token = _stopToken;
        while (await _wake.Reader.WaitToReadAsync(token).ConfigureAwait(false))
        {
            _wake.Reader.TryRead(out _);
            try
            {
                if (Interlocked.Exchange(ref _fullPending, 0) == 1)
                {
                    // A full read covers every tenant queued until now.
                    _pendingTenants.Clear();
                    if (!await ReadAllAsync(token).ConfigureAwait(false))
                    {
                        RequestFullRead();
                    }

                    continue;
                }

                foreach (var tenant in _pendingTenants.Keys)
                {
                    _pendingTenants.TryRemove(tenant, out _);
                    await ReadTenantAsync(tenant, token).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (!token.IsCancellationRequested)
            {
                // The store could not be read: keep the copy (stale), retry with a full read, which also heals the
                // tenants whose reads were dropped here.
                _pendingTenants.Clear();
                Failed(ex);
                _hosts.FailedReadHandled();
            }
        }
    }

    // The copy is stamped with when the read began: what the store held then is what it lists, however long the read
    // took. A read that lands after this host stopped changes nothing (the copy may be newer by then: another host's),
    // nor one that lands after another host's read begun later (OriginSource.ReplaceAll).
    // Says whether the read was applied.
    private async Task<bool> ReadAllAsync(CancellationToken cancellationToken)
    {
        await TryWatchAsync(cancellationToken).ConfigureAwait(false);
        var started = _time.GetTimestamp();
        var readAt = _time.GetUtcNow();
        var begun = _source.BeginFullRead();
        var tenants = new List<TenantOrigins>();
        try
        {
            await foreach (var tenant in _source.Store.ListAsync(cancellationToken).ConfigureAwait(false))
            {
                tenants.Add(tenant);
            }
        }
        catch (Exception)
        {
            _recordRead?.Invoke(_source.Name, true, _time.GetElapsedTime(started), false);
            throw;
        }

        ThrowIfStopped();
        Reads++;
        var refused = new List<OriginRefusal>();
        var wasStatus = _source.Status;
        var applied = _source.ReplaceAll(tenants, readAt, refused, begun);
        _recordRead?.Invoke(_source.Name, true, _time.GetElapsedTime(started), true);
        if (!applied)
        {
            // Older than the copy (another host's read, begun later, landed first): the copy is not this read's, and may
            // be stale again by now. The caller reads again at once, numbered after it; that read ends this host's
            // outage, if any.
            return false;
        }

        if (_stopping.IsCancellationRequested)
        {
            // The stop began as the copy was replaced, and its HandOverOutage may have run before.
            lock (_hosts.Syncs)
            {
                LeaveCopyStale();
            }
        }

        LogRefused(refused);
        Succeeded(wasStatus);
        await SaveSnapshotAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    private async Task ReadTenantAsync(string tenant, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        IReadOnlyCollection<string> origins;
        try
        {
            origins = await _source.Store.ListAsync(tenant, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception)
        {
            _recordRead?.Invoke(_source.Name, false, _time.GetElapsedTime(started), false);
            throw;
        }

        ThrowIfStopped();
        Reads++;
        var refused = new List<OriginRefusal>();
        _source.ReplaceTenant(new TenantOrigins(tenant, origins), _time.GetUtcNow(), refused);
        _recordRead?.Invoke(_source.Name, false, _time.GetElapsedTime(started), true);
        LogRefused(refused);
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            Log.OriginTenantRead(_logger, _source.Name, LogValue.Safe(tenant)!, _source.OriginsOf(tenant).Count);
        }

        if (_failing)
        {
            // The store answers again; the copy becomes current with the next full read (queued by the retry timer).
            RequestFullRead();
        }
    }

    // A read that ignored the stop (or whose store ended it without throwing) is dropped, as cut short by the stop.
    private void ThrowIfStopped()
    {
        if (_stopping.IsCancellationRequested)
        {
            throw new OperationCanceledException("the host stopped before the read ended", _stopToken);
        }
    }

    private async Task TryWatchAsync(CancellationToken cancellationToken)
    {
        if (_watch is not null || _stopping.IsCancellationRequested)
        {
            return;
        }

        IAsyncDisposable watch;
        try
        {
            watch = await _source.Store.WatchAsync(Changed, cancellationToken).ConfigureAwait(false) ?? NoWatch.Instance;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Log.OriginSourceWatchFailed(_logger, ex, _source.Name, _source.Options.ResyncInterval);
            return;
        }

        lock (_timers)
        {
            if (!_stopping.IsCancellationRequested)
            {
                _watch = watch;
                return;
            }
        }

        // Subscribed after the stop began (the store ignored the cancellation), which found nothing to end: end it now,
        // bounded by the stop's grace.
        await EndWatchAsync(watch, new CancellationToken(canceled: true)).ConfigureAwait(false);
        ThrowIfStopped();
    }

    private async Task StartStaleOrClosedAsync(Exception failure, CancellationToken cancellationToken)
    {
        var options = _source.Options;
        // A copy past its deadline that no host has failed closed yet (no host tracked its outage) is refused below, as too old.
        if (_source.StatusAsMarked is not (OriginSourceStatus.Current or OriginSourceStatus.Stale))
        {
            var snapshot = options.SnapshotPath is { } path ? await OriginSnapshotFile.TryReadAsync(path, _source.Name, _time.GetUtcNow(), _logger, cancellationToken).ConfigureAwait(false) : null;
            var refused = new List<OriginRefusal>();
            // A snapshot already older than MaxStaleness is refused as if there were none.
            if (snapshot is { } saved && saved.SavedAt + options.MaxStaleness > _time.GetUtcNow() && _source.ServeSnapshot(saved.Tenants, saved.SavedAt, _time, refused) is { } reads)
            {
                LogRefused(refused);
                Log.OriginSourceStartedFromSnapshot(_logger, failure, _source.Name, options.SnapshotPath!, saved.SavedAt, _source.TenantCount, _source.OriginCount, saved.SavedAt + options.MaxStaleness);
                _hosts.OutageLogged();
                _failing = true;
                StartFailureTimers(saved.SavedAt + options.MaxStaleness, reads);
                return;
            }

            if (_source.FailCloseUnlessReadSince(0) || _source.Status is OriginSourceStatus.FailedClosed)
            {
                // Nothing read yet, or failed closed already (by another host syncing this source). Counted from no read
                // at all, so another host's first read, landing from now on, moves the deadline (Failed).
                RefusedAtStartup(failure, fullReads: 0);
                return;
            }
        }

        // A copy another host in this process read (it syncs the source, or did until it stopped), or read meanwhile:
        // serve it as stale, neither failing it closed (refusing that host's origins too) nor replacing it with a snapshot
        // (no newer). Its age counts from when it turned stale; left by a host that no longer syncs it, from when it turned
        // stale or else its last read. One that old already is refused at once, as if there were no copy.
        var fullReads = _source.FullReads;
        var staleSince = _source.SyncingHosts > 1 ? null : _source.StaleSince ?? _source.LastReadAt;
        if (staleSince + options.MaxStaleness <= _time.GetUtcNow() && _source.FailCloseUnlessReadSince(fullReads))
        {
            RefusedAtStartup(failure, fullReads);
            return;
        }

        Failed(failure, staleSince);
    }

    // The store cannot be read at startup and the source refuses its origins (no copy young enough): say so, and retry.
    private void RefusedAtStartup(Exception failure, long fullReads)
    {
        Log.OriginSourceUnavailableAtStartup(_logger, failure, _source.Name, _source.Options.RetryInterval);
        _hosts.OutageLogged();
        _failing = true;
        StartFailureTimers(_time.GetUtcNow() + _source.Options.MaxStaleness, fullReads);
    }

    private void Succeeded(OriginSourceStatus wasStatus)
    {
        if (TracksOutage || wasStatus is not OriginSourceStatus.Current)
        {
            // Said once per outage the process logged (42 to 45), by the host whose read ends it (whichever host logged it,
            // even one that has stopped): a host failing or tracking it finds it ended by another's read silently, and a
            // copy made stale again without a log (MoveDeadline) ends without one.
            var recovered = wasStatus is OriginSourceStatus.Stale or OriginSourceStatus.FailedClosed && _hosts.EndOutage();
            _failing = _tookOver = false;
            lock (_timers)
            {
                _retry?.Dispose();
                _staleness?.Dispose();
                _retry = _staleness = null;
            }

            if (recovered)
            {
                Log.OriginSourceRecovered(_logger, _source.Name, _source.TenantCount, _source.OriginCount);
            }
            else if (wasStatus is OriginSourceStatus.Starting)
            {
                Log.OriginSourceRead(_logger, _source.Name, _source.TenantCount, _source.OriginCount);
            }
        }
    }

    // The store cannot be read: serve the copy stale, MaxStaleness past when it turned stale (now, unless another host
    // noticed first, or staleSince says the copy is older), then fail closed.
    private void Failed(Exception exception, DateTimeOffset? staleSince = null)
    {
        var now = _time.GetUtcNow();
        var fullReads = _source.FullReads;
        if (_failing)
        {
            // Logged once per outage; the retry timer runs. If another host syncing this source has read the store since
            // this host's outage began, the copy is stale again from now: the deadline moves, or a copy that host made
            // current and then stopped keeping current would be served for ever while this host cannot read the store.
            if (fullReads != _outageReads)
            {
                MoveDeadline(fullReads);
            }

            return;
        }

        _failing = true;
        _tookOver = false;
        _source.MarkStale(staleSince ?? now, _time);
        var failClosedAt = CopyDeadlineOr(now);
        // Another host syncing this source may have failed it closed already (and said so): nothing is served to log
        // about. Else a deadline past already makes the staleness timer fire at once, fail closed and say so (43).
        if (_source.Status is not OriginSourceStatus.FailedClosed && failClosedAt > now)
        {
            Log.OriginSourceStale(_logger, exception, _source.Name, _source.LastReadAt ?? now, failClosedAt);
            _hosts.OutageLogged();
        }

        StartFailureTimers(failClosedAt, fullReads);
        if (_stopping.IsCancellationRequested)
        {
            // The store failed as this host stopped: its stop may have found nothing to hand over.
            HandOverOutage();
        }
    }

    // While the store cannot be read: retry with a full read, and fail closed once the copy is too old, unless a full read
    // has landed since fullReads (the source's count when the outage began).
    private void StartFailureTimers(DateTimeOffset failClosedAt, long fullReads)
    {
        var options = _source.Options;
        lock (_timers)
        {
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            _outageReads = fullReads;
            _retry ??= _time.CreateTimer(_ => RequestFullRead(), null, options.RetryInterval, options.RetryInterval);
            // Re-armed when this host notices an outage it took over: from the copy's deadline as of now. A stale copy past
            // its deadline (its lookups refuse it already) is failed closed and logged at once.
            if (_source.StatusAsMarked is OriginSourceStatus.Stale)
            {
                ArmStaleness(failClosedAt, fullReads);
            }
        }
    }

    // Under _timers: fail closed at failClosedAt (at once if past), unless a full read lands after fullReads.
    private void ArmStaleness(DateTimeOffset failClosedAt, long fullReads)
    {
        var due = failClosedAt - _time.GetUtcNow();
        _staleness?.Dispose();
        _staleness = _time.CreateTimer(_ => StaleTooLong(fullReads), null, due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan);
    }

    // Another host read the store at fullReads, after this host's outage began: the copy is stale from now (this host still
    // cannot read the store; the outage was logged when it began), and refused MaxStaleness later unless read again.
    private void MoveDeadline(long fullReads)
    {
        lock (_timers)
        {
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            var now = _time.GetUtcNow();
            _outageReads = fullReads;
            _source.MarkStale(now, _time);
            ArmStaleness(CopyDeadlineOr(now), fullReads);
        }
    }

    private void StaleTooLong(long fullReads)
    {
        lock (_timers)
        {
            // Checked and failed closed in one step by the source: a full read landing meanwhile, by this host's loop or by
            // another host syncing the source, is never followed by a fail-close meant for the copy before it.
            if (!TracksOutage || !_source.FailCloseUnlessReadSince(fullReads))
            {
                return; // read again in the meantime
            }
        }

        Log.OriginSourceFailedClosed(_logger, _source.Name, _source.LastReadAt!.Value, _source.Options.MaxStaleness);
        _hosts.OutageLogged();
    }

    private async Task SaveSnapshotAsync(CancellationToken cancellationToken)
    {
        if (_source.Options.SnapshotPath is { } path)
        {
            await OriginSnapshotFile.TryWriteAsync(path, _source, _logger, cancellationToken).ConfigureAwait(false);
        }
    }

    private void LogRefused(List<OriginRefusal> refused)
    {
        if (refused.Count > 0)
        {
            var first = refused[0];
            Log.OriginEntriesRefused(_logger, _source.Name, refused.Count, LogValue.Safe(first.Tenant)!, LogValue.Safe(first.Entry)!, LogValue.Safe(first.Reason)!);
        }
    }

    // What the hosts in this process that sync one source share: which of them sync it (from their first read until they
    // stop), so that a host stopping during an outage hands its retries and the copy's deadline to the others
    // (HandOverOutage); and whether an outage was logged whose end was not (46 says the end of a logged outage, once).
    private sealed class SourceHosts
    {
        private int _outageLogged;
        private int _failedReadsHandled;

        public int FailedReadsHandled => Volatile.Read(ref _failedReadsHandled);

        public List<OriginSourceSync> Syncs { get; } = [];

        // 42, 43, 44 or 45 was logged.
        public void OutageLogged() => Volatile.Write(ref _outageLogged, 1);

        // Whether this read ends a logged outage: true for one read only.
        public bool EndOutage() => Interlocked.Exchange(ref _outageLogged, 0) == 1;

        public void FailedReadHandled() => Interlocked.Increment(ref _failedReadsHandled);
    }

    private sealed class NoWatch : IAsyncDisposable
    {
        public static readonly NoWatch Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

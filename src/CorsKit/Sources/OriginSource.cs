using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Diagnostics.Metrics;
using CorsKit.Origins;

namespace CorsKit.Sources;

/// <summary>
/// Origins that change while the app runs, read from an <see cref="IOriginStore"/> (a database, configuration, Redis) and
/// kept here as a local copy per tenant, which requests are checked against without waiting on the store. A policy draws
/// from it with <see cref="Policies.CorsPolicyBuilder.WithOriginsFrom"/>; CorsKit.AspNetCore loads it at startup and keeps
/// it current (change notifications, a periodic full read, a bounded staleness while the store is down).
/// </summary>
/// <remarks>
/// Every entry passes the checks of an exact origin in <see cref="Policies.CorsPolicyBuilder.WithOrigins"/> and is
/// normalised the same way; an entry that fails them is refused and reported, never allowed. Sources hold exact origins
/// only: <c>*</c>, <c>null</c> and wildcards are refused (list those in the policy itself).
/// </remarks>
public sealed class OriginSource
{
    /// <summary>The tag naming the source on every <c>corskit.origin_source.*</c> instrument (the README's Metrics table).</summary>
    internal const string SourceTag = "corskit.origin_source.name";
    private const string LookupTag = "corskit.origin_source.lookup";
    private static readonly TimeSpan MaxInterval = TimeSpan.FromDays(49);

    // Replaced whole by a full read, one tenant's set at a time by a tenant's read: a reader sees either the old or the
    // new set of a tenant, never part of one.
    private volatile ConcurrentDictionary<string, FrozenSet<string>> _tenants = new(StringComparer.Ordinal);

    // What requests read: _tenants and the untenanted set ("") while the source serves, null while it refuses
    // (starting, failed closed); one read answers both questions. A policy without tenants reads its set directly, as
    // a static policy reads its exact origins, instead of looking "" up among the tenants. A stale copy carries its
    // deadline, which every lookup checks: the copy is refused from then whether or not a host's timer has failed it
    // closed yet (every host syncing it stopped, or its timer runs late). Replaced whole, never changed.
    private volatile Served? _served;
    private volatile int _status;

    // Writers (full reads, tenant reads, staleness) come one at a time from a host's sync, but two hosts in one process
    // may sync the same source, and a staleness timer runs beside the reads: the copy, the served object and the status
    // change together under this lock, so what is served is always what the copy holds. Requests take no lock.
    private readonly Lock _writing = new();

    // Full reads begun, by any host syncing the source (BeginFullRead), and the number of the latest applied; under
    // _writing. A read that lands after one begun later has landed holds older data than the copy, and is dropped.
    private long _readsBegun;
    private long _newestApplied;

    // How many full reads (snapshots served included) the copy has had; under _writing. A host's staleness timer fails
    // the source closed only if none landed since its outage began (FailCloseUnlessReadSince).
    private long _fullReads;

    // Counters of the hosts syncing this source (usually one), replaced whole under the lock.
    private readonly Lock _lookupsLock = new();
    private Counter<long>[] _lookups = [];

    /// <summary>Creates a source called <paramref name="name"/> over <paramref name="store"/>.</summary>
    /// <param name="name">Names the source in logs, the health check and Redis keys.</param>
    /// <param name="store">Where the origins are read from.</param>
    /// <param name="options">Refresh and staleness settings; the defaults of <see cref="OriginSourceOptions"/> when omitted.</param>
    public OriginSource(string name, IOriginStore store, OriginSourceOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(store);
        Name = name;
        Store = store;
        Options = options ?? new OriginSourceOptions();
        if (Options.MaxStaleness < TimeSpan.Zero || Options.ResyncInterval <= TimeSpan.Zero || Options.RetryInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException($"origin source '{name}': MaxStaleness must be zero or more, ResyncInterval and RetryInterval more than zero", nameof(options));
        }

        // Each is a timer's wait, and a .NET timer waits at most about 49.7 days.
        if (Options.MaxStaleness > MaxInterval || Options.ResyncInterval > MaxInterval || Options.RetryInterval > MaxInterval)
        {
            throw new ArgumentException($"origin source '{name}': MaxStaleness, ResyncInterval and RetryInterval must each be at most {MaxInterval.TotalDays} days (the longest a timer waits)", nameof(options));
        }
    }

    /// <summary>The source's name.</summary>
    public string Name { get; }

    /// <summary>Where the origins are read from.</summary>
    public IOriginStore Store { get; }

    /// <summary>Refresh and staleness settings.</summary>
    public OriginSourceOptions Options { get; }

    /// <summary>
    /// How current the local copy is: a stale copy past its deadline (<see cref="OriginSourceOptions.MaxStaleness"/> after
    /// it turned stale) is <see cref="OriginSourceStatus.FailedClosed"/>, since its origins are refused from then.
    /// </summary>
    public OriginSourceStatus Status
    {
        get
        {
            var status = (OriginSourceStatus)_status;
            return status is OriginSourceStatus.Stale && _served is { TooOld: true } ? OriginSourceStatus.FailedClosed : status;
        }
    }

    /// <summary>
    /// The status as the hosts syncing the source last set it: a stale copy past its deadline, which <see cref="Status"/>
    /// reports failed closed (its lookups refuse it), stays <see cref="OriginSourceStatus.Stale"/> here until a host fails
    /// it closed (<see cref="FailCloseUnlessReadSince"/>) and says so.
    /// </summary>
    internal OriginSourceStatus StatusAsMarked => (OriginSourceStatus)_status;

    /// <summary>When the store last answered a read (or the snapshot the copy came from was saved); <see langword="null"/> before.</summary>
    public DateTimeOffset? LastReadAt { get; private set; }

    /// <summary>How many full reads (snapshots served included) the local copy has had: 0 until the first.</summary>
    internal long FullReads
    {
        get
        {
            lock (_writing)
            {
                return _fullReads;
            }
        }
    }

    /// <summary>
    /// When the stale copy is refused: <see cref="OriginSourceOptions.MaxStaleness"/> after it turned stale (a snapshot:
    /// was saved), whichever host noticed first; <see langword="null"/> unless <see cref="OriginSourceStatus.Stale"/>.
    /// The one deadline the lookups check and every host's staleness timer is armed for.
    /// </summary>
    internal DateTimeOffset? RefusedFrom
    {
        get
        {
            lock (_writing)
            {
                return _status == (int)OriginSourceStatus.Stale ? _served!.RefusedFrom : null;
            }
        }
    }

    /// <summary>Since when the copy is stale (a snapshot: when it was saved); <see langword="null"/> unless <see cref="OriginSourceStatus.Stale"/>.</summary>
    internal DateTimeOffset? StaleSince => RefusedFrom - Options.MaxStaleness;

    /// <summary>How many hosts sync this source now (each counts its lookups from when it starts syncing until it stops).</summary>
    internal int SyncingHosts => _lookups.Length;

    /// <summary>How many tenants the local copy holds.</summary>
    public int TenantCount => _tenants.Count;

    /// <summary>How many origins the local copy holds, over every tenant.</summary>
    public long OriginCount => _tenants.Values.Sum(set => (long)set.Count);

    /// <summary>
    /// Whether <paramref name="origin"/> is listed for <paramref name="tenant"/> in the local copy; always
    /// <see langword="false"/> while the source is <see cref="OriginSourceStatus.Starting"/> or
    /// <see cref="OriginSourceStatus.FailedClosed"/>, a stale copy included once its deadline has passed. Reads memory
    /// only (and, while the copy is stale, the clock), and allocates nothing; while the
    /// <c>corskit.origin_source.lookups</c> counter is listened to, each call is also counted there.
    /// </summary>
    /// <param name="tenant">The request's tenant (<see langword="null"/> or <c>""</c> for none).</param>
    /// <param name="origin">The request's <c>Origin</c>, as sent (browsers send it normalised).</param>
    public bool Contains(string? tenant, string origin)
    {
        var served = _served;
        if (served is { TooOld: true })
        {
            served = null;
        }

        var found = served is not null && (string.IsNullOrEmpty(tenant)
            ? served.Untenanted.Contains(origin)
            : served.Tenants.TryGetValue(tenant, out var origins) && origins.Contains(origin));
        foreach (var lookups in _lookups)
        {
            if (lookups.Enabled)
            {
                lookups.Add(1, new KeyValuePair<string, object?>(SourceTag, Name), new KeyValuePair<string, object?>(LookupTag, found ? "hit" : served is null ? "not_serving" : "miss"));
            }
        }

        return found;
    }

    /// <summary>
    /// Counts every <see cref="Contains"/> (a request's origin looked up in the local copy) on <paramref name="lookups"/>
    /// by its result, <c>hit</c>, <c>miss</c> or <c>not_serving</c>, while something listens to it: a host adds its
    /// counter while it syncs this source. A source shared by several hosts counts each lookup on each host's counter.
    /// </summary>
    internal void CountLookupsOn(Counter<long> lookups)
    {
        lock (_lookupsLock)
        {
            _lookups = [.. _lookups, lookups];
        }
    }

    /// <summary>
    /// Whether a host syncs this source (reads it and keeps it current): each host that does counts its lookups, from
    /// <see cref="CountLookupsOn"/> until it stops.
    /// </summary>
    internal bool IsSynced => _lookups.Length > 0;

    /// <summary>Stops counting on <paramref name="lookups"/> (the host stopped).</summary>
    internal void StopCountingLookupsOn(Counter<long> lookups)
    {
        lock (_lookupsLock)
        {
            _lookups = [.. _lookups.Where(c => c != lookups)];
        }
    }

    /// <summary>The origins of <paramref name="tenant"/> in the local copy, normalised (whatever the status).</summary>
    /// <param name="tenant">The tenant.</param>
    public IReadOnlyCollection<string> OriginsOf(string tenant) =>
        _tenants.TryGetValue(tenant, out var origins) ? origins : [];

    /// <summary>Checks and normalises an entry as <see cref="Policies.CorsPolicyBuilder.WithOrigins"/> does an exact origin.</summary>
    /// <param name="entry">The entry, as stored.</param>
    /// <param name="origin">Its serialized origin, such as <c>https://app.example.com</c>.</param>
    /// <param name="error">Otherwise, what is wrong and the fix.</param>
    public static bool TryNormalise(string? entry, [NotNullWhen(true)] out string? origin, [NotNullWhen(false)] out string? error)
    {
        origin = null;
        if (entry is "*" or Origin.Null || (entry is not null && WildcardOrigin.IsWildcardEntry(entry)))
        {
            error = $"\"{entry}\" is not an exact origin; an origin source holds exact origins only (scheme://host[:port]), so list '*', 'null' and wildcards in the policy itself";
            return false;
        }

        if (!Origin.TryParse(entry, out var parsed, out error))
        {
            return false;
        }

        if (parsed.Host.EndsWith('.'))
        {
            error = WildcardOrigin.TrailingDot(entry!, parsed);
            return false;
        }

        origin = parsed.Serialized;
        return true;
    }

    /// <summary>Numbers a full read of the store as it begins, for <see cref="ReplaceAll"/>.</summary>
    internal long BeginFullRead()
    {
        lock (_writing)
        {
            return ++_readsBegun;
        }
    }

    /// <summary>
    /// Replaces the whole copy with what the store held when read <paramref name="begun"/> (a <see cref="BeginFullRead"/>;
    /// now, when omitted) began, at <paramref name="readAt"/>; the source is then current. A read that lands after one
    /// begun later has landed (another host's) is dropped: says whether it was applied.
    /// </summary>
    internal bool ReplaceAll(IEnumerable<TenantOrigins> tenants, DateTimeOffset readAt, List<OriginRefusal> refused, long? begun = null) =>
        Replace(tenants, readAt, refused, staleOn: null, begun ?? BeginFullRead()) is not null;

    /// <summary>Replaces one tenant's origins with what the store holds now.</summary>
    internal void ReplaceTenant(TenantOrigins tenant, DateTimeOffset readAt, List<OriginRefusal> refused)
    {
        var origins = Normalise(tenant, refused);
        lock (_writing)
        {
            if (origins.Count > 0)
            {
                _tenants[tenant.Tenant] = origins;
            }
            else
            {
                _tenants.TryRemove(tenant.Tenant, out _);
            }

            // The untenanted set is served apart from the tenants: serve the new one with the copy, if it is served.
            if (tenant.Tenant.Length == 0 && _served is { } served)
            {
                _served = served with { Untenanted = origins };
            }

            // A tenant's read says nothing of the others: before the first full read the copy is not complete.
            if (Status is OriginSourceStatus.Current)
            {
                LastReadAt = readAt;
            }
        }
    }

    /// <summary>
    /// Serves a copy saved earlier (at <paramref name="savedAt"/>, stale since then) while the store cannot be read, unless
    /// the source has been read meanwhile (by another host syncing it: its copy is newer). Returns the full reads counted
    /// with this one, or <see langword="null"/> when it was not served. Refused from <see cref="OriginSourceOptions.MaxStaleness"/>
    /// after <paramref name="savedAt"/> on <paramref name="clock"/>, as <see cref="MarkStale"/>.
    /// </summary>
    internal long? ServeSnapshot(IEnumerable<TenantOrigins> tenants, DateTimeOffset savedAt, TimeProvider clock, List<OriginRefusal> refused) =>
        Replace(tenants, savedAt, refused, clock, begun: 0);

    /// <summary>
    /// A current copy is kept but marked stale, since <paramref name="since"/> (the store cannot be read, or the last host
    /// keeping it current stopped; one already stale, or failed closed, stays as it is). From
    /// <see cref="OriginSourceOptions.MaxStaleness"/> after <paramref name="since"/> on <paramref name="clock"/> its origins
    /// are refused, by every lookup, unless a full read has made it current again.
    /// </summary>
    internal void MarkStale(DateTimeOffset since, TimeProvider clock)
    {
        lock (_writing)
        {
            if (_status == (int)OriginSourceStatus.Current)
            {
                _status = (int)OriginSourceStatus.Stale;
                _served = _served! with { Clock = clock, RefusedFrom = since + Options.MaxStaleness };
            }
        }
    }

    /// <summary>
    /// Fails closed (refuses every origin of this source until the store answers) only if no full read landed since <paramref name="fullReads"/> (a
    /// <see cref="FullReads"/> taken when a host's store stopped answering, or when it last saw another host read it);
    /// says whether it did. The caller's deadline says the copy is too old by then, whatever its status: a copy another
    /// host made current and then stopped keeping current is as old as one this host marked stale. The check and the
    /// change are one step: a full read, by this host or another syncing this source, either lands first (the source
    /// stays served) or replaces the refusal.
    /// </summary>
    internal bool FailCloseUnlessReadSince(long fullReads)
    {
        lock (_writing)
        {
            if (_fullReads != fullReads || _status == (int)OriginSourceStatus.FailedClosed)
            {
                return false;
            }

            _served = null;
            _status = (int)OriginSourceStatus.FailedClosed;
            return true;
        }
    }

    /// <summary>Every tenant of the local copy, for saving a snapshot.</summary>
    internal IEnumerable<TenantOrigins> Copy() => _tenants.Select(t => new TenantOrigins(t.Key, t.Value));

    // Builds the copy apart, then swaps it in under the lock: current, unless a read begun later has landed; or (a
    // snapshot, staleOn its host's clock) stale since readAt, and that only into a source nothing has read yet.
    private long? Replace(IEnumerable<TenantOrigins> tenants, DateTimeOffset readAt, List<OriginRefusal> refused, TimeProvider? staleOn, long begun)
    {
        var copy = new ConcurrentDictionary<string, FrozenSet<string>>(StringComparer.Ordinal);
        foreach (var tenant in tenants)
        {
            var origins = Normalise(tenant, refused);
            if (origins.Count > 0)
            {
                copy[tenant.Tenant] = origins;
            }
        }

        lock (_writing)
        {
            if ((staleOn is not null && _fullReads != 0) || begun < _newestApplied)
            {
                return null;
            }

            _newestApplied = begun;
            _tenants = copy;
            _fullReads++;
            LastReadAt = readAt;
            _status = (int)(staleOn is null ? OriginSourceStatus.Current : OriginSourceStatus.Stale);
            _served = new Served(copy, copy.GetValueOrDefault(string.Empty, FrozenSet<string>.Empty))
            {
                Clock = staleOn,
                RefusedFrom = readAt + Options.MaxStaleness,
            };
            return _fullReads;
        }
    }

    // Clock is null while the copy is current; while it is stale, the copy is refused from RefusedFrom on it.
    private sealed record Served(ConcurrentDictionary<string, FrozenSet<string>> Tenants, FrozenSet<string> Untenanted)
    {
        public TimeProvider? Clock { get; init; }

        public DateTimeOffset RefusedFrom { get; init; }

        public bool TooOld => Clock is not null && Clock.GetUtcNow() >= RefusedFrom;
    }

    private static FrozenSet<string> Normalise(TenantOrigins tenant, List<OriginRefusal> refused)
    {
        var origins = new List<string>(tenant.Origins.Count);
        foreach (var entry in tenant.Origins)
        {
            if (TryNormalise(entry, out var origin, out var error))
            {
                origins.Add(origin);
            }
            else
            {
                refused.Add(new OriginRefusal(tenant.Tenant, entry, error));
            }
        }

        return origins.ToFrozenSet(StringComparer.Ordinal);
    }
}

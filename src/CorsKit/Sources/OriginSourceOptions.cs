namespace CorsKit.Sources;

/// <summary>
/// How an <see cref="OriginSource"/> keeps its local copy current, and how long it may serve a stale one. Each interval is a
/// timer's wait: at most 49 days (the source's constructor refuses longer).
/// </summary>
public sealed class OriginSourceOptions
{
    /// <summary>
    /// How long the last known copy is served once the store is found unreadable (a snapshot served at startup: from when it
    /// was saved; a copy left by the last host syncing the source, when it stopped: from its last read); after that the
    /// source's origins are refused (fail closed), by every lookup, until the store answers again. Default 5 minutes.
    /// </summary>
    public TimeSpan MaxStaleness { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How often the whole copy is read again, which heals a lost change notification (and is the only refresh for a store
    /// without notifications). Default 30 seconds.
    /// </summary>
    public TimeSpan ResyncInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a read is retried while the store cannot be read. Default 1 second.</summary>
    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A file where the copy is saved after every full read, and from which the source starts when the store cannot be read
    /// at startup (as a stale copy, aged from when it was saved). Default <see langword="null"/>: no snapshot, so a store
    /// that is down at startup leaves the source failed closed until it answers. Neither applies when another host in the
    /// process already serves the source: its copy is kept, as stale, for <see cref="MaxStaleness"/> from then.
    /// </summary>
    public string? SnapshotPath { get; init; }
}

using Microsoft.Extensions.Logging;

namespace CorsKit.AspNetCore;

/// <summary>
/// Keeps a log event cheap under a flood: at most <see cref="PerSecond"/> entries a second at the event's own level; the
/// rest of that second go out at <see cref="LogLevel.Debug"/> (so they cost one level check where Debug is off). The
/// first entries of every second still show an attack; the rest do not fill the disk.
/// </summary>
internal sealed class LogBudget(LogLevel level, TimeProvider time)
{
    /// <summary>Entries a second at the event's own level.</summary>
    public const int PerSecond = 10;

    private long _second;
    private int _count;

    /// <summary>
    /// The level for the next entry to <paramref name="logger"/>, or <see cref="LogLevel.None"/> when the logger writes
    /// neither the event's level nor Debug: then nothing is counted, and the clock is not read.
    /// </summary>
    public LogLevel Next(ILogger logger)
    {
        if (!logger.IsEnabled(level))
        {
            return LogLevel.None;
        }

        var second = time.GetTimestamp() / time.TimestampFrequency;
        var current = Volatile.Read(ref _second);
        // Only forward: a thread that read the clock just before the second turned counts in the new second's budget,
        // rather than starting its own second's count again (which would let another 10 through).
        if (second > current && Interlocked.CompareExchange(ref _second, second, current) == current)
        {
            // One thread starts the new second's count.
            Interlocked.Exchange(ref _count, 0);
        }

        return Interlocked.Increment(ref _count) <= PerSecond ? level : LogLevel.Debug;
    }
}

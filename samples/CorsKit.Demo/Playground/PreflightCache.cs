using CorsKit.Browser;

namespace CorsKit.Demo.Playground;

/// <summary>
/// One engine's preflight cache as the browser model describes it: a passing preflight is kept, per origin, URL and
/// whether credentials are included, for the engine's duration (<see cref="PreflightCacheDurations"/>); a later request
/// needs no preflight while an entry lives whose methods and headers allow it.
/// </summary>
/// <param name="lifetime">Picks the engine's duration; Chromium's when <see langword="null"/>.</param>
public sealed class PreflightCache(Func<PreflightCacheDurations, TimeSpan>? lifetime = null)
{
    private readonly Func<PreflightCacheDurations, TimeSpan> _lifetime = lifetime ?? (durations => durations.Chromium);
    private readonly Dictionary<(string Origin, string Url, bool Credentials), Entry> _entries = [];

    /// <summary>Remembers a passing preflight received at <paramref name="at"/>.</summary>
    /// <param name="plan">The plan it answered.</param>
    /// <param name="response">The preflight response.</param>
    /// <param name="durations">How long each engine keeps it.</param>
    /// <param name="at">When it was received.</param>
    public void Store(PreflightPlan plan, BrowserResponse response, PreflightCacheDurations durations, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(durations);
        var lifetime = _lifetime(durations);
        if (lifetime > TimeSpan.Zero)
        {
            _entries[Key(plan)] = new Entry(response, at + lifetime);
        }
    }

    /// <summary>The cached preflight response that covers <paramref name="plan"/> at <paramref name="now"/>, or <see langword="null"/>.</summary>
    /// <param name="plan">The planned preflight.</param>
    /// <param name="now">When the request is made.</param>
    public BrowserResponse? Find(PreflightPlan plan, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return _entries.TryGetValue(Key(plan), out var entry) && now < entry.Expires && PreflightCheck.Run(plan, entry.Response).Passed
            ? entry.Response
            : null;
    }

    private static (string, string, bool) Key(PreflightPlan plan) =>
        (plan.Origin, new Uri(plan.Request.Url).AbsoluteUri, plan.Credentials == CredentialsMode.Include);

    private sealed record Entry(BrowserResponse Response, DateTimeOffset Expires);
}

using CorsKit.AspNetCore.Origins;
using CorsKit.AspNetCore.Tests.Infrastructure;
using CorsKit.Sources;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CorsKit.AspNetCore.Tests.Origins;

/// <summary>
/// Hosts in one process syncing one origin source (two WebApplications, a test host beside the app, a host rebuilt
/// in-process), each on a clock of its own, so its retry, resync and staleness timers fire only when a test moves it.
/// </summary>
internal static class SharedSourceHosts
{
    public const string Acme = "https://app.acme.example";

    /// <summary>An origin that <see cref="AcmeStore"/> does not list until a test adds it.</summary>
    public const string Other = "https://other.example";

    /// <summary>A store in memory listing <see cref="Acme"/> for no tenant (<c>""</c>).</summary>
    public static MemoryOriginStore AcmeStore()
    {
        var store = new MemoryOriginStore();
        store.Tenants[string.Empty] = [Acme];
        return store;
    }

    /// <summary>Stale for 60 s, a full read every 30 s, a retry every 10 s.</summary>
    public static readonly OriginSourceOptions Options = new()
    {
        MaxStaleness = TimeSpan.FromSeconds(60),
        ResyncInterval = TimeSpan.FromSeconds(30),
        RetryInterval = TimeSpan.FromSeconds(10),
    };

    /// <summary>
    /// Stale for 20 s, a full read every 60 s, a retry every 5 s: a store that fails closed quickly but is polled rarely,
    /// so a late resync cannot hide a missed deadline (the one-clock tests).
    /// </summary>
    public static readonly OriginSourceOptions OneClockOptions = new()
    {
        MaxStaleness = TimeSpan.FromSeconds(20),
        ResyncInterval = TimeSpan.FromSeconds(60),
        RetryInterval = TimeSpan.FromSeconds(5),
    };

    /// <summary>
    /// A host whose default policy draws from <paramref name="source"/>, serving <c>GET /plain</c>, on <paramref name="time"/>,
    /// with the origin sources' health check.
    /// </summary>
    public static Task<TestApp> StartAsync(OriginSource source, TimeProvider time) =>
        TestApp.StartAsync(
            cors => cors.AddDefaultPolicy(p => p.WithOriginsFrom(source)),
            web => web.MapGet("/plain", () => "plain"),
            configure: b => b.Services.AddHealthChecks().AddCorsKitOriginSources(),
            before: b => b.Services.AddSingleton(time));

    /// <summary>Hosts A and B sync one source; B loses the store at its 30 s (event 42), then A reads it at its 30 s (current).</summary>
    public static async Task<(MemoryOriginStore Store, OriginSource Source, FakeTimeProvider TimeA, FakeTimeProvider TimeB, TestApp A, TestApp B)> BLosesTheStoreThenAReadsItAsync()
    {
        var store = new MemoryOriginStore();
        store.Tenants[string.Empty] = [Acme];
        var source = new OriginSource("shared", store, Options);
        var timeA = new FakeTimeProvider();
        var timeB = new FakeTimeProvider();
        var a = await StartAsync(source, timeA);
        var b = await StartAsync(source, timeB);

        store.FailAfter = 0;
        timeB.Advance(TimeSpan.FromSeconds(30));
        await Poll.UntilAsync(() => b.Logs.ForEvent(42).Count == 1);
        store.FailAfter = null;
        timeA.Advance(TimeSpan.FromSeconds(30));
        await Poll.UntilAsync(() => source.Status == OriginSourceStatus.Current);
        return (store, source, timeA, timeB, a, b);
    }

    /// <summary>
    /// Waits until the hosts syncing <paramref name="source"/> have handled every failed read of <paramref name="store"/>
    /// (timers armed, not only logged: event 42 is written before the timers are), so that a clock may be moved on.
    /// </summary>
    public static Task FailuresHandledAsync(MemoryOriginStore store, OriginSource source) =>
        Poll.UntilAsync(() => OriginSourceSync.FailedReadsHandled(source) >= store.FailedReads);

    /// <summary>
    /// Once every failed read so far is handled, moves <paramref name="time"/> on by <paramref name="by"/> and waits for
    /// the full read that fails then, and for it to be handled too (timers armed), so that the caller may move the clock on
    /// again.
    /// </summary>
    public static async Task AdvanceToNextFailedReadAsync(MemoryOriginStore store, OriginSource source, FakeTimeProvider time, TimeSpan by)
    {
        await FailuresHandledAsync(store, source);
        var failed = store.FailedReads;
        time.Advance(by);
        await Poll.UntilAsync(() => store.FailedReads > failed);
        await FailuresHandledAsync(store, source);
    }
}

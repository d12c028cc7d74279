using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using CorsKit.AspNetCore.Tests.Infrastructure;
using CorsKit.Sources;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

using static CorsKit.AspNetCore.Tests.Origins.SharedSourceHosts;

namespace CorsKit.AspNetCore.Tests.Origins;

/// <summary>
/// What the attacker of the copy-owned deadline (a342dbe, 2c046be, 696ae25) found: each test failed there. The stop's
/// subscription and late reads, event 52's words, a snapshot dated in the future, and the health check's words.
/// </summary>
[Collection(WallClockBounds.Name)]
public sealed class OriginSourceDeadlineAttackTests
{
    // A host whose default policy draws from the source, on its own clock, with a 1 s shutdown timeout.
    private static Task<TestApp> StartShortStopAsync(OriginSource source, TimeProvider time) =>
        TestApp.StartAsync(
            cors => cors.AddDefaultPolicy(p => p.WithOriginsFrom(source)),
            web => web.MapGet("/plain", () => "plain"),
            configure: b => b.Services.AddHealthChecks().AddCorsKitOriginSources(),
            before: b => b.Services.AddSingleton(time).Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(1)));

    // Claim 4: "a stop abandoned to a hung read (event 50) ends the subscription without waiting". The hang is the
    // store's subscribe (WatchAsync, the first thing a sync does): the stop is abandoned (50, which says "a read of its
    // store ignored its cancellation"), _watch is still null, so there is nothing to end; when the subscribe returns
    // after the stop, its subscription is stored in _watch and never ended: the store keeps notifying a stopped host.
    [Fact]
    public async Task SubscribeHangsPastTheStop_StopAbandoned_SubscriptionStillEnded()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var store = new WatchedOriginStore(Acme)
        {
            Subscribing = () => // whatever its token says (a network subscribe without a timeout)
            {
                entered.TrySetResult();
                return release.Task;
            },
        };
        var source = new OriginSource("hung-subscribe", store);
        var app = await TestApp.StartAsync(
            null,
            web => web.MapGet("/plain", () => "plain").WithCors(p => p.WithOriginsFrom(source)),
            configure: b => b.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(1)));
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(10));

        await app.App.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Single(app.Logs.ForEvent(50));
        release.TrySetResult(); // the subscribe returns, after the stop
        await Poll.UntilAsync(() => store.Subscribed);
        await app.App.DisposeAsync();

        await Poll.SettleAsync(() => store.Unsubscribed, TimeSpan.FromSeconds(3));
        Assert.True(store.Unsubscribed, "the subscription taken by the abandoned start was never ended (no 53 either): the store keeps notifying a stopped host");
    }

    // Claim 4: "logs event 53 on hang/throw". A subscription whose end throws an OperationCanceledException (HttpClient's
    // timeout throws TaskCanceledException; many drivers end a timed-out call so) leaves Task.Run's task Canceled, not
    // Faulted: ending.Exception is null and nothing is logged, though the subscription was not ended.
    [Fact]
    public async Task SubscriptionEndThrowsTaskCanceled_Logged53()
    {
        var faulty = new WatchedOriginStore(Acme)
        {
            Unsubscribing = () => throw new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout of 100 seconds elapsing."),
        };
        var source = new OriginSource("faulty", faulty);
        var app = await TestApp.StartAsync(
            cors => cors.AddPolicy("a", p => p.WithOriginsFrom(source)),
            web => web.MapGet("/a", () => "a"),
            configure: b => b.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(1)));

        var stop = await Record.ExceptionAsync(() => app.App.StopAsync().WaitAsync(TimeSpan.FromSeconds(30)));
        await app.App.DisposeAsync();

        Assert.Null(stop);
        Assert.True(faulty.Unsubscribed);
        var logged = Assert.Single(app.Logs.ForEvent(53));
        Assert.IsType<TaskCanceledException>(logged.Exception);
    }

    // A read racing a stop. A and B sync one source. A's resync begins (the store answers with what it holds then: Acme)
    // and its store call ignores cancellation. Acme is revoked in the store; B's resync reads that (Acme refused). A
    // stops: the stop is abandoned (50: "It is left to end on its own and starts nothing when it does"). A's read then
    // ends, and ReplaceAll puts its older answer in the shared copy as Current, read "now": B serves the revoked Acme again,
    // as current, until its next resync (and A saves it to the snapshot). The read of a host that has stopped should not
    // replace a copy another host keeps current. (Not new in stop 20, which added LeaveCopyStale after this ReplaceAll
    // and kept the replace.)
    [Fact]
    public async Task StoppedHostsLateRead_LandsAfterAnotherHostsNewerRead_RevokedOriginNotServedAgain()
    {
        var store = new AnswerAtStartStore();
        store.Tenants[string.Empty] = [Acme];
        var source = new OriginSource("shared", store, Options);
        var timeA = new FakeTimeProvider();
        var timeB = new FakeTimeProvider();
        var a = await StartShortStopAsync(source, timeA);
        await using var b = await StartShortStopAsync(source, timeB);

        var held = store.HoldNextReadDeaf();
        timeA.Advance(TimeSpan.FromSeconds(30)); // A's resync begins: answers Acme, held
        await held.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        store.Tenants[string.Empty] = [Other]; // Acme revoked
        var reads = store.FullReads;
        timeB.Advance(TimeSpan.FromSeconds(30)); // B's resync reads the revocation
        await Poll.UntilAsync(() => store.FullReads > reads && !source.Contains(null, Acme));
        using (var revoked = await b.GetAsync("/plain", Acme))
        {
            CorsAssert.Headers(revoked, ("Vary", "Origin"));
        }

        await a.App.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Single(a.Logs.ForEvent(50));
        held.Release.TrySetResult(); // A's read ends, after its host stopped
        await Poll.SettleAsync(() => source.Contains(null, Acme), TimeSpan.FromSeconds(3));
        await a.App.DisposeAsync();

        using var served = await b.GetAsync("/plain", Acme);
        CorsAssert.Headers(served, ("Vary", "Origin"));
    }

    // Event 52 said the copy is served "until {RefusedFrom} (MaxStaleness after that read)", "that read" being
    // {LastReadAt}. A copy left stale by an outage is refused MaxStaleness after it turned stale, not after its last read:
    // A read at 0 s, lost the store at 30 s (42: refused at 90 s) and stopped; 52 said "read at 0 s ... until 90 s
    // (MaxStaleness after that read)", MaxStaleness being 60 s. It now says after it turned stale, which 90 s is.
    [Fact]
    public async Task ProviderSource_LeftStaleByAnOutage_Event52SaysMaxStalenessAfterItTurnedStale()
    {
        var store = AcmeStore();
        var source = new OriginSource("left", store, Options);
        var time = new FakeTimeProvider();
        var reader = await TestApp.StartAsync(cors => cors.AddPolicy("named", p => p.WithOriginsFrom(source)), web => web.MapGet("/x", () => "x"), before: b => b.Services.AddSingleton<TimeProvider>(time));
        var readAt = time.GetUtcNow();
        store.FailAfter = 0;
        await AdvanceToNextFailedReadAsync(store, source, time, TimeSpan.FromSeconds(30)); // 30 s: resync fails, stale until 90 s
        await Poll.UntilAsync(() => reader.Logs.ForEvent(42).Count == 1);
        time.Advance(TimeSpan.FromSeconds(1));
        await reader.DisposeAsync();

        var policy = new global::CorsKit.Policies.CorsPolicyBuilder().WithOriginsFrom(source).Build();
        await using var app = await TestApp.StartAsync(
            options =>
            {
                options.AddPolicyProvider("tenants", (_, _) => ValueTask.FromResult<global::CorsKit.Policies.CorsPolicy?>(policy));
                options.DefaultPolicyName = "tenants";
            },
            web => web.MapGet("/data", () => "payload"));
        using var allowed = await app.GetAsync("/data", Acme);
        CorsAssert.Headers(allowed, ("Access-Control-Allow-Origin", Acme), ("Vary", "Origin"));

        var warning = Assert.Single(app.Logs.ForEvent(52));
        var lastReadAt = (DateTimeOffset)warning.Values["LastReadAt"]!;
        var refusedFrom = (DateTimeOffset)warning.Values["RefusedFrom"]!;
        Assert.Equal((TimeSpan.Zero, TimeSpan.FromSeconds(90)), (lastReadAt - readAt, refusedFrom - readAt));
        Assert.Contains("(MaxStaleness after it turned stale: when that host stopped keeping it current, or when its store stopped answering)", warning.Message, StringComparison.Ordinal);
    }

    // Claim 3: settings over 49 days are refused because "a .NET timer waits at most about 49.7 days" and a longer wait
    // threw in the sync. The staleness timer's wait is also SavedAt + MaxStaleness - now for a snapshot, and SavedAt
    // comes from the file, unchecked: a snapshot saved "in the future" (a clock that ran ahead, then corrected; a file
    // from another machine) more than 49.7 days ahead throws the timer's ArgumentOutOfRangeException out of the host's
    // start, while the store is down, exactly when the snapshot is wanted. (Less far ahead, it is served stale until
    // SavedAt + MaxStaleness: days, for a MaxStaleness of 60 s.) Such a snapshot is now refused as unreadable (47, with
    // why), and the source fails closed (44) as without a snapshot.
    [Fact]
    public async Task StoreDownAtStartup_SnapshotSavedInTheFuture_RefusedAndTheHostStarts()
    {
        var directory = Directory.CreateTempSubdirectory("corskit-future-snapshot-");
        try
        {
            var path = Path.Combine(directory.FullName, "origins.json");
            var savedAt = (DateTimeOffset.UtcNow + TimeSpan.FromDays(60)).ToString("O", CultureInfo.InvariantCulture);
            await File.WriteAllTextAsync(path, $$$"""{"savedAt":"{{{savedAt}}}","tenants":{"":["{{{Acme}}}"]}}""");
            var store = new MemoryOriginStore { FailAfter = 0 };
            store.Tenants[string.Empty] = [Acme];
            var source = new OriginSource("single", store, new OriginSourceOptions { SnapshotPath = path, MaxStaleness = TimeSpan.FromSeconds(60) });

            await using var app = await TestApp.StartAsync(
                cors => cors.AddDefaultPolicy(p => p.WithOriginsFrom(source)),
                web => web.MapGet("/plain", () => "plain"));

            using var refused = await app.GetAsync("/plain", Acme);
            CorsAssert.Headers(refused, ("Vary", "Origin"));
            Assert.Equal(OriginSourceStatus.FailedClosed, source.Status);
            var unreadable = Assert.Single(app.Logs.ForEvent(47));
            var saved = DateTimeOffset.Parse(savedAt, CultureInfo.InvariantCulture).ToString("O", CultureInfo.InvariantCulture);
            Assert.Matches($"^it says it was saved at {Regex.Escape(saved)}, later than now \\([^)]+\\): the clock or the file is wrong$", unreadable.Exception?.Message);
            Assert.Single(app.Logs.ForEvent(44));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    // Health truthfulness after claim 2. A read the store at 0 s and stopped at 10 s: the copy is stale from 0 s, refused
    // from 60 s. At 61 s B starts, its endpoint drawing from the source inline; B's first read is under way (the store
    // answers, slowly). B's health check listed the source as FailedClosed and said "an origin source refuses its origins
    // (failed closed): its store cannot be read", though no read of the store had failed: B's first read had not ended.
    // (Before stop 20 the same moment was Healthy, though the copy served was 61 s old.) Unhealthy is true, the origins
    // being refused; the description now says only what holds.
    [Fact]
    public async Task CopyLeftByTheLastHostAgesOut_NextHostsFirstReadUnderWay_HealthDoesNotSayTheStoreCannotBeRead()
    {
        var store = AcmeStore();
        var source = new OriginSource("shared", store, Options);
        var time = new FakeTimeProvider();
        var a = await StartAsync(source, time);
        time.Advance(TimeSpan.FromSeconds(10));
        await a.DisposeAsync();
        time.Advance(TimeSpan.FromSeconds(51)); // 61 s

        var held = store.HoldNextRead();
        await using var b = await TestApp.StartAsync(
            null,
            web => web.MapGet("/plain", () => "plain").WithCors(p => p.WithOriginsFrom(source)),
            configure: builder => builder.Services.AddHealthChecks().AddCorsKitOriginSources(),
            before: builder => builder.Services.AddSingleton<TimeProvider>(time));
        await held.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var report = await b.App.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        var entry = Assert.Single(report.Entries).Value;
        held.Release.TrySetResult();
        Assert.Equal(0, store.FailedReads);
        Assert.Equal((HealthStatus.Unhealthy, "an origin source refuses its origins (failed closed): it holds no copy read within MaxStaleness"), (entry.Status, entry.Description));
    }

    // A store that answers a full read with what it holds when the read begins; the next read can be held, deaf to its
    // cancellation (a driver call without a timeout).
    private sealed class AnswerAtStartStore : IOriginStore
    {
        private MemoryOriginStore.Gate? _next;
        private int _fullReads;

        public ConcurrentDictionary<string, string[]> Tenants { get; } = new(StringComparer.Ordinal);

        public int FullReads => Volatile.Read(ref _fullReads);

        public MemoryOriginStore.Gate HoldNextReadDeaf()
        {
            var gate = new MemoryOriginStore.Gate();
            Volatile.Write(ref _next, gate);
            return gate;
        }

        public async IAsyncEnumerable<TenantOrigins> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            var answer = Tenants.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => new TenantOrigins(t.Key, t.Value)).ToList();
            if (Interlocked.Exchange(ref _next, null) is { } gate)
            {
                gate.Entered.TrySetResult();
                await gate.Release.Task;
            }

            foreach (var tenant in answer)
            {
                await Task.Yield();
                yield return tenant;
            }

            Interlocked.Increment(ref _fullReads);
        }

        public Task<IReadOnlyCollection<string>> ListAsync(string tenant, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyCollection<string>>(Tenants.TryGetValue(tenant, out var origins) ? origins : []);
    }
}

using CorsKit.AspNetCore.Tests.Infrastructure;
using CorsKit.Sources;
using Microsoft.Extensions.Time.Testing;

using static CorsKit.AspNetCore.Tests.Origins.SharedSourceHosts;

namespace CorsKit.AspNetCore.Tests.Origins;

/// <summary>
/// A host starting while the store is down, after the host that read the source has stopped (an app that rebuilds its
/// host in-process, a test host started after another, a rolling in-process restart): no host serves the source any
/// more, so its copy is only as fresh as that host's last read, however long ago.
/// </summary>
public sealed class OriginSourceRestartTests
{
    // A read the store at its start and stopped. Two hours later B starts with the same source while the store is down:
    // nothing serves the source (A stopped), and its copy is two hours old, far past MaxStaleness. B must refuse it
    // (fail closed, 44), as a host starting without a snapshot does. Before 8cc2fbf: the status A left (Current) is taken for
    // "another host serves it", and B serves the two-hour-old copy, stale for MaxStaleness more (42).
    [Fact]
    public async Task HostStartsWhileStoreDown_AfterTheOnlyReaderStoppedHoursAgo_OldCopyRefused()
    {
        var store = new MemoryOriginStore();
        store.Tenants[string.Empty] = [Acme];
        var source = new OriginSource("shared", store, Options);
        var a = await StartAsync(source, new FakeTimeProvider());
        await a.DisposeAsync();

        store.FailAfter = 0;
        var timeB = new FakeTimeProvider();
        timeB.Advance(TimeSpan.FromHours(2));
        await using var b = await StartAsync(source, timeB);

        using var refused = await b.GetAsync("/plain", Acme);
        CorsAssert.Headers(refused, ("Vary", "Origin"));
        Assert.Equal((OriginSourceStatus.FailedClosed, 1, 0), (source.Status, b.Logs.ForEvent(44).Count, b.Logs.ForEvent(42).Count));
    }

    // A lost the store at its 0 s (stale, to fail closed at 60 s) and stopped at 50 s. B starts at 50 s while the store is
    // still down. The copy must not outlive A's deadline: it was last read at 0 s. Before 8cc2fbf: B keeps it as stale from its own
    // start, so it is still served at 100 s, 100 s after the last read and the outage began (MaxStaleness is 60 s).
    [Fact]
    public async Task HostStartsWhileStoreDown_AfterAStaleHostStopped_CopyNotServedPastMaxStaleness()
    {
        var store = new MemoryOriginStore();
        store.Tenants[string.Empty] = [Acme];
        var source = new OriginSource("shared", store, Options);
        var timeA = new FakeTimeProvider();
        var a = await StartAsync(source, timeA);
        store.FailAfter = 0;
        store.ChangedAll();
        await Poll.UntilAsync(() => a.Logs.ForEvent(42).Count == 1);
        await FailuresHandledAsync(store, source);
        timeA.Advance(TimeSpan.FromSeconds(50));
        await a.DisposeAsync();

        var timeB = new FakeTimeProvider();
        timeB.Advance(TimeSpan.FromSeconds(50));
        await using var b = await StartAsync(source, timeB);
        timeB.Advance(TimeSpan.FromSeconds(50));

        using var refused = await b.GetAsync("/plain", Acme);
        CorsAssert.Headers(refused, ("Vary", "Origin"));
        Assert.Equal(OriginSourceStatus.FailedClosed, source.Status);
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Text;
using CorsKit.AspNetCore.Tests.Infrastructure;
using CorsKit.Sources;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

using static CorsKit.AspNetCore.Tests.Origins.SharedSourceHosts;

namespace CorsKit.AspNetCore.Tests.Origins;

/// <summary>
/// A second host starting from its snapshot while another host's first read lands: the snapshot is older than that
/// read, and must not replace it (OriginSourceOptions.SnapshotPath: a host starting beside another that serves the
/// source keeps that copy).
/// </summary>
[Collection(WallClockBounds.Name)]
public sealed class OriginSourceSnapshotRaceTests
{
    private const string Revoked = "https://revoked.example";

    // The snapshot of the previous run lists Revoked; the store no longer does (only Acme). A's first read (an inline
    // policy's, in the background) is under way when B starts and cannot read the store; B finds the source not served
    // yet and reads its snapshot (a slow disk: here a FIFO, so the test decides when the read ends). A's read lands
    // meanwhile (the copy is current: Acme). Then B's snapshot read ends. B must keep A's copy: Revoked refused, Acme
    // allowed. Before 8cc2fbf: B checked "served by another host?" before its snapshot read, serves the older snapshot over A's
    // fresh read (Revoked allowed again, Acme refused, the source Stale) until the next full read.
    [Fact]
    public async Task OtherHostsReadLandsWhileThisHostReadsItsSnapshot_FresherCopyKept()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var directory = Directory.CreateTempSubdirectory("corskit-snapshot-race-");
        try
        {
            var path = Path.Combine(directory.FullName, "origins.json");
            using (var mkfifo = Process.Start("mkfifo", [path]))
            {
                await mkfifo.WaitForExitAsync();
                Assert.Equal(0, mkfifo.ExitCode);
            }

            var store = new FirstReadHeldStore();
            var options = new OriginSourceOptions { MaxStaleness = TimeSpan.FromSeconds(60), RetryInterval = TimeSpan.FromSeconds(10), SnapshotPath = path };
            var source = new OriginSource("shared", store, options);
            await using var a = await TestApp.StartAsync(
                null,
                web => web.MapGet("/plain", () => "plain").WithCors(p => p.WithOriginsFrom(source)),
                before: b => b.Services.AddSingleton<TimeProvider>(new FakeTimeProvider()));
            await store.FirstEntered.Task.WaitAsync(TimeSpan.FromSeconds(5));

            // The writer's open waits for B's snapshot read to open the FIFO.
            var writer = Task.Run(() => new FileStream(path, FileMode.Open, FileAccess.Write));
            var timeB = new FakeTimeProvider();
            var b = Task.Run(() => TestApp.StartAsync(
                cors => cors.AddDefaultPolicy(p => p.WithOriginsFrom(source)),
                web => web.MapGet("/plain", () => "plain"),
                before: builder => builder.Services.AddSingleton<TimeProvider>(timeB)));
            await using (var fifo = await writer.WaitAsync(TimeSpan.FromSeconds(5)))
            {
                store.FirstRelease.TrySetResult();
                await Poll.UntilAsync(() => source.Status == OriginSourceStatus.Current);
                var savedAt = (timeB.GetUtcNow() - TimeSpan.FromSeconds(10)).ToString("O", CultureInfo.InvariantCulture);
                await fifo.WriteAsync(Encoding.UTF8.GetBytes($$$"""{"savedAt":"{{{savedAt}}}","tenants":{"":["{{{Revoked}}}"]}}"""));
            }

            await using var hostB = await b.WaitAsync(TimeSpan.FromSeconds(5));

            using (var refused = await a.GetAsync("/plain", Revoked))
            {
                CorsAssert.Headers(refused, ("Vary", "Origin"));
            }

            using var allowed = await a.GetAsync("/plain", Acme);
            CorsAssert.Headers(allowed, ("Access-Control-Allow-Origin", Acme), ("Vary", "Origin"));
            Assert.Equal((OriginSourceStatus.Stale, 1, 0), (source.Status, hostB.Logs.ForEvent(42).Count, hostB.Logs.ForEvent(45).Count));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}

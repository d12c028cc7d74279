using System.Globalization;
using CorsKit.AspNetCore.Tests.Infrastructure;
using CorsKit.Sources;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

using static CorsKit.AspNetCore.Tests.Origins.SharedSourceHosts;

namespace CorsKit.AspNetCore.Tests.Origins;

/// <summary>
/// One host (no other in the process), its store down at startup, and a snapshot saved longer than MaxStaleness ago.
/// </summary>
public sealed class OriginSourceOldSnapshotTests
{
    // The snapshot was saved two hours before the host starts; MaxStaleness is 60 s. The copy is too old to serve, as a
    // copy left in the source by a stopped host is (refused at once, 44, since 8cc2fbf). Before this fix: the host serves the
    // snapshot (45: "serves the snapshot ... until" a time two hours past), then its staleness timer, due at once, fails
    // it closed and logs 43 ("has served its copy ... for its MaxStaleness without reaching its store"): two claims of
    // serving that never happened, and with TimeProvider.System a two-hour-old copy is served until that timer runs on
    // the thread pool (an inline endpoint policy's source starts in the background, while requests are accepted).
    [Fact]
    public async Task StoreDownAtStartup_SnapshotOlderThanMaxStaleness_RefusedAt44Only()
    {
        var directory = Directory.CreateTempSubdirectory("corskit-old-snapshot-");
        try
        {
            var path = Path.Combine(directory.FullName, "origins.json");
            var time = new FakeTimeProvider();
            var savedAt = (time.GetUtcNow() - TimeSpan.FromHours(2)).ToString("O", CultureInfo.InvariantCulture);
            await File.WriteAllTextAsync(path, $$$"""{"savedAt":"{{{savedAt}}}","tenants":{"":["{{{Acme}}}"]}}""");
            var store = new MemoryOriginStore { FailAfter = 0 };
            store.Tenants[string.Empty] = [Acme];
            var source = new OriginSource("single", store, new OriginSourceOptions
            {
                SnapshotPath = path,
                MaxStaleness = TimeSpan.FromSeconds(60),
                ResyncInterval = TimeSpan.FromSeconds(30),
                RetryInterval = TimeSpan.FromSeconds(10),
            });

            await using var app = await TestApp.StartAsync(
                cors => cors.AddDefaultPolicy(p => p.WithOriginsFrom(source)),
                web => web.MapGet("/plain", () => "plain"),
                before: b => b.Services.AddSingleton<TimeProvider>(time));

            using var refused = await app.GetAsync("/plain", Acme);
            CorsAssert.Headers(refused, ("Vary", "Origin"));
            Assert.Equal(
                (OriginSourceStatus.FailedClosed, 1, 0, 0, 0),
                (source.Status, app.Logs.ForEvent(44).Count, app.Logs.ForEvent(45).Count, app.Logs.ForEvent(43).Count, app.Logs.ForEvent(42).Count));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}

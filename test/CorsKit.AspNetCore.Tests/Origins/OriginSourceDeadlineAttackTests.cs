using System.Globalization;
using System.Text.RegularExpressions;
using CorsKit.AspNetCore.Tests.Infrastructure;
using CorsKit.Sources;
using Microsoft.AspNetCore.Builder;

using static CorsKit.AspNetCore.Tests.Origins.SharedSourceHosts;

namespace CorsKit.AspNetCore.Tests.Origins;

/// <summary>
/// What the attacker of the copy-owned deadline (a342dbe, 2c046be, 696ae25) found: each test failed there. The stop's
/// subscription and late reads, event 52's words, a snapshot dated in the future, and the health check's words.
/// </summary>
public sealed class OriginSourceDeadlineAttackTests
{
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
}

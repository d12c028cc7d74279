using CorsKit.AspNetCore.Tests.Infrastructure;
using CorsKit.Redis.Tests.Infrastructure;
using CorsKit.Sources;
using Microsoft.Extensions.Time.Testing;

namespace CorsKit.Redis.Tests.Sources;

/// <summary>Redis down at startup and lost while running, against a real redis-server killed by its pid.</summary>
public sealed class FailureTests
{
    private const string Acme = "https://app.acme.example";

    [RedisFact]
    public async Task RedisDownAtStartup_NoSnapshot_FailsClosedThenRecoversByItself()
    {
        await using var redis = await RedisServer.StartAsync();
        await redis.StopAsync();
        await using var app = await TenantApp.StartAsync(redis);

        Assert.Equal(OriginSourceStatus.FailedClosed, app.Source.Status);
        var log = Assert.Single(app.App.Logs.ForEvent(44));
        Assert.Equal("api", log.Values["Source"]);
        Assert.Equal("Unhealthy", await app.HealthAsync());

        // The source's origins are refused; the policy's own entry still works.
        using (var closed = await app.GetAsync("acme", Acme))
        {
            CorsAssert.Headers(closed, ("Vary", "Origin"));
        }

        using (var fixedOrigin = await app.GetAsync("acme", TenantApp.StaticOrigin))
        {
            CorsAssert.Headers(fixedOrigin, ("Access-Control-Allow-Origin", TenantApp.StaticOrigin), ("Vary", "Origin"));
        }

        await redis.StartAgainAsync();
        await redis.CliAsync("SADD", "corskit:origins:api:acme", Acme);

        using var recovered = await app.WaitUntilAsync("acme", Acme, allowed: true);
        CorsAssert.Headers(recovered, ("Access-Control-Allow-Origin", Acme), ("Vary", "Origin"));
        Assert.Equal(OriginSourceStatus.Current, app.Source.Status);
        await Poll.UntilAsync(() => app.App.Logs.ForEvent(46).Count > 0); // logged just after the copy turns current
        Assert.Single(app.App.Logs.ForEvent(46));
        Assert.Equal("Healthy", await app.HealthAsync());
    }

    [RedisFact]
    public async Task RedisDownAtStartup_WithSnapshot_ServesItStale()
    {
        await using var redis = await RedisServer.StartAsync();
        var snapshot = Path.Combine(redis.Directory, "origins.json");
        var options = new OriginSourceOptions { SnapshotPath = snapshot, RetryInterval = TimeSpan.FromMilliseconds(200) };
        await redis.CliAsync("SADD", "corskit:origins:api:acme", Acme);
        await using (var earlier = await TenantApp.StartAsync(redis, options))
        {
            Assert.Equal(OriginSourceStatus.Current, earlier.Source.Status);
        }

        Assert.True(File.Exists(snapshot));
        await redis.StopAsync();
        await using var app = await TenantApp.StartAsync(redis, options);

        Assert.Equal(OriginSourceStatus.Stale, app.Source.Status);
        var log = Assert.Single(app.App.Logs.ForEvent(45));
        Assert.Equal(snapshot, log.Values["Path"]);
        Assert.Equal("Degraded", await app.HealthAsync());
        using var allowed = await app.GetAsync("acme", Acme);
        CorsAssert.Headers(allowed, ("Access-Control-Allow-Origin", Acme), ("Vary", "Origin"));
    }

    [RedisFact]
    public async Task RedisLostWhileRunning_StaleForMaxStaleness_ThenFailsClosed_LogsOnce_Recovers()
    {
        await using var redis = await RedisServer.StartAsync();
        await redis.CliAsync("SADD", "corskit:origins:api:acme", Acme);
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-30T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var options = new OriginSourceOptions { MaxStaleness = TimeSpan.FromMinutes(5), ResyncInterval = TimeSpan.FromSeconds(30), RetryInterval = TimeSpan.FromSeconds(1) };
        await using var app = await TenantApp.StartAsync(redis, options, time);
        Assert.Equal(OriginSourceStatus.Current, app.Source.Status);

        // The lost connection is noticed at once (no read is due for 30 s): stale from now, for MaxStaleness.
        await redis.StopAsync();
        await app.WaitForStatusAsync(OriginSourceStatus.Stale);
        Assert.Equal("Degraded", await app.HealthAsync());
        using (var stale = await app.GetAsync("acme", Acme))
        {
            CorsAssert.Headers(stale, ("Access-Control-Allow-Origin", Acme), ("Vary", "Origin"));
        }

        // Retries fail for minutes: still one log line, still the stale copy, until MaxStaleness has passed.
        for (var i = 0; i < 299; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(OriginSourceStatus.Stale, app.Source.Status);
        time.Advance(TimeSpan.FromSeconds(1)); // 300 s after the outage was noticed
        await app.WaitForStatusAsync(OriginSourceStatus.FailedClosed);
        using (var closed = await app.GetAsync("acme", Acme))
        {
            CorsAssert.Headers(closed, ("Vary", "Origin"));
        }

        Assert.Equal("Unhealthy", await app.HealthAsync());
        Assert.Single(app.App.Logs.ForEvent(42));
        var failedClosed = Assert.Single(app.App.Logs.ForEvent(43));
        Assert.Equal(TimeSpan.FromMinutes(5), failedClosed.Values["MaxStaleness"]);

        // Redis comes back (empty, then filled and announced): a retry or the reconnect reads it, and the source is
        // current again, whichever of the read and the write came first.
        await redis.StartAgainAsync();
        await redis.CliAsync("SADD", "corskit:origins:api:acme", Acme);
        await redis.CliAsync("PUBLISH", "corskit:origins:api", "acme");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        HttpResponseMessage back;
        while (true)
        {
            back = await app.GetAsync("acme", Acme);
            if ((app.Source.Status == OriginSourceStatus.Current && back.Headers.Contains("Access-Control-Allow-Origin")) || DateTime.UtcNow > deadline)
            {
                break;
            }

            back.Dispose();
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(50);
        }

        using (back)
        {
            CorsAssert.Headers(back, ("Access-Control-Allow-Origin", Acme), ("Vary", "Origin"));
        }

        Assert.Equal(OriginSourceStatus.Current, app.Source.Status);
        await Poll.UntilAsync(() => app.App.Logs.ForEvent(46).Count > 0); // logged just after the copy turns current
        Assert.Single(app.App.Logs.ForEvent(46));
        Assert.Single(app.App.Logs.ForEvent(43));
        Assert.Equal("Healthy", await app.HealthAsync());
    }
}

using CorsKit.AspNetCore.Tests.Infrastructure;
using CorsKit.Redis.Tests.Infrastructure;

namespace CorsKit.Redis.Tests.Sources;

/// <summary>Two instances against one real redis-server: a change made on one (or with redis-cli) is honoured by the other.</summary>
public sealed class PropagationTests
{
    private const string Acme = "https://app.acme.example";

    [RedisFact]
    public async Task OriginAddedWithRedisCli_HonouredByEveryInstance_RemovedRefused()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var first = await TenantApp.StartAsync(redis);
        await using var second = await TenantApp.StartAsync(redis);

        using (var before = await second.GetAsync("acme", Acme))
        {
            CorsAssert.Headers(before, ("Vary", "Origin"));
        }

        // What an ops team types: add the domain, announce it.
        Assert.Equal("1", await redis.CliAsync("SADD", "corskit:origins:api:acme", Acme));
        Assert.Equal("2", await redis.CliAsync("PUBLISH", "corskit:origins:api", "acme"));

        foreach (var app in (TenantApp[])[first, second])
        {
            using var allowed = await app.WaitUntilAsync("acme", Acme, allowed: true);
            CorsAssert.Headers(allowed, ("Access-Control-Allow-Origin", Acme), ("Vary", "Origin"));
            Assert.Equal("data of acme", await allowed.Content.ReadAsStringAsync());
        }

        // Removed through the store API on the first instance: refused by the second.
        await first.Store.RemoveAsync("acme", Acme);
        using var removed = await second.WaitUntilAsync("acme", Acme, allowed: false);
        CorsAssert.Headers(removed, ("Vary", "Origin"));
    }

    [RedisFact]
    public async Task OriginAddedWithStoreApi_OnOneInstance_AnotherAllowsItForThatTenantOnly()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var first = await TenantApp.StartAsync(redis);
        await using var second = await TenantApp.StartAsync(redis);

        // Written as a user might type it; stored and matched as the browser sends it.
        await first.Store.AddAsync("acme", "HTTPS://App.Acme.Example:443");
        Assert.Equal(Acme, await redis.CliAsync("SMEMBERS", "corskit:origins:api:acme"));

        using var allowed = await second.WaitUntilAsync("acme", Acme, allowed: true);
        CorsAssert.Headers(allowed, ("Access-Control-Allow-Origin", Acme), ("Vary", "Origin"));

        using var preflight = await second.App.PreflightAsync("/tenants/acme/data", Acme, "PUT");
        Assert.Equal(System.Net.HttpStatusCode.NoContent, preflight.StatusCode);
        CorsAssert.Headers(preflight, ("Access-Control-Allow-Origin", Acme), ("Access-Control-Allow-Methods", "PUT"), ("Vary", "Origin"));

        // Another tenant's route, and lookalikes of the stored origin, are refused.
        foreach (var (tenant, origin) in ((string, string)[])[("globex", Acme), ("acme", "https://app.acme.example.evil.example"), ("acme", "http://app.acme.example"), ("acme", "https://app.acme.example:8443"), ("acme", "https://xapp.acme.example"), ("acme", "https://app.acme.exampl")])
        {
            using var refused = await second.GetAsync(tenant, origin);
            CorsAssert.Headers(refused, ("Vary", "Origin"));
        }

        // The policy's own entry is allowed for every tenant.
        using var fixedOrigin = await second.GetAsync("globex", TenantApp.StaticOrigin);
        CorsAssert.Headers(fixedOrigin, ("Access-Control-Allow-Origin", TenantApp.StaticOrigin), ("Vary", "Origin"));
    }

    [RedisFact]
    public async Task InvalidEntriesInRedis_RefusedAndLogged_ValidOnesAllowed()
    {
        await using var redis = await RedisServer.StartAsync();
        await redis.CliAsync("SADD", "corskit:origins:api:acme", "https://*.acme.example", "null", "*", "app.acme.example", "https://app.acme.example/", "https://app.acme.example.", "HTTPS://Shop.Acme.Example:443");
        await using var app = await TenantApp.StartAsync(redis);

        using var normalised = await app.GetAsync("acme", "https://shop.acme.example");
        CorsAssert.Headers(normalised, ("Access-Control-Allow-Origin", "https://shop.acme.example"), ("Vary", "Origin"));
        foreach (var origin in (string[])["https://x.acme.example", "null", "https://evil.example", "https://app.acme.example", "https://app.acme.example."])
        {
            using var refused = await app.GetAsync("acme", origin);
            CorsAssert.Headers(refused, ("Vary", "Origin"));
        }

        var refusedLog = Assert.Single(app.App.Logs.ForEvent(41));
        Assert.Equal(6, refusedLog.Values["Count"]);
        Assert.Equal(["https://shop.acme.example"], app.Source.OriginsOf("acme"));
    }

    [RedisFact]
    public async Task KeyspaceNotificationsOn_BareSaddWithoutPublish_IsNoticed()
    {
        await using var redis = await RedisServer.StartAsync();
        await redis.CliAsync("CONFIG", "SET", "notify-keyspace-events", "Ks");
        await using var app = await TenantApp.StartAsync(redis);

        // No PUBLISH: the server's own keyspace notification announces the change.
        await redis.CliAsync("SADD", "corskit:origins:api:acme", Acme);

        using var allowed = await app.WaitUntilAsync("acme", Acme, allowed: true);
        CorsAssert.Headers(allowed, ("Access-Control-Allow-Origin", Acme), ("Vary", "Origin"));
    }
}

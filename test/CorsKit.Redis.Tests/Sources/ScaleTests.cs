using System.Globalization;
using CorsKit.AspNetCore.Tests.Infrastructure;
using CorsKit.Redis.Tests.Infrastructure;
using StackExchange.Redis;

namespace CorsKit.Redis.Tests.Sources;

/// <summary>A flood of changes, a tenant with 100,000 origins and 100,000 tenants, against a real redis-server. Correctness only: no timings.</summary>
public sealed class ScaleTests
{
    [RedisFact]
    public async Task FloodOfChanges_EveryChangeEndsUpOnTheOtherInstance()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var first = await TenantApp.StartAsync(redis);
        await using var second = await TenantApp.StartAsync(redis);

        // 1,500 changes as fast as the store takes them, each its own transaction and message: 1,000 origins added one
        // at a time, then every other one removed.
        var added = Enumerable.Range(0, 1000).Select(i => $"https://s{i.ToString(CultureInfo.InvariantCulture)}.flood.example").ToArray();
        await Task.WhenAll(added.Select(origin => first.Store.AddAsync("flood", origin)));
        await Task.WhenAll(added.Where((_, i) => i % 2 == 1).Select(origin => first.Store.RemoveAsync("flood", origin)));

        using var last = await second.WaitUntilAsync("flood", added[998], allowed: true);
        CorsAssert.Headers(last, ("Access-Control-Allow-Origin", added[998]), ("Vary", "Origin"));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (second.Source.OriginsOf("flood").Count != 500 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Equal(added.Where((_, i) => i % 2 == 0).Order(StringComparer.Ordinal), second.Source.OriginsOf("flood").Order(StringComparer.Ordinal));
        using var removed = await second.GetAsync("flood", added[999]);
        CorsAssert.Headers(removed, ("Vary", "Origin"));
    }

    [RedisFact]
    public async Task TenantWith100000Origins_ReadWhole_LookalikesRefused()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var app = await TenantApp.StartAsync(redis);
        var origins = Enumerable.Range(0, 100_000).Select(i => (RedisValue)$"https://shop{i.ToString(CultureInfo.InvariantCulture)}.big.example").ToArray();
        var database = app.Redis.GetDatabase();
        foreach (var chunk in origins.Chunk(10_000))
        {
            await database.SetAddAsync("corskit:origins:api:big", chunk);
        }

        await database.PublishAsync(RedisChannel.Literal("corskit:origins:api"), "big");

        using var lastOne = await app.WaitUntilAsync("big", "https://shop99999.big.example", allowed: true);
        CorsAssert.Headers(lastOne, ("Access-Control-Allow-Origin", "https://shop99999.big.example"), ("Vary", "Origin"));
        Assert.Equal(100_000, app.Source.OriginsOf("big").Count);
        foreach (var origin in (string[])["https://shop100000.big.example", "https://shop1.big.example.evil.example", "http://shop1.big.example"])
        {
            using var refused = await app.GetAsync("big", origin);
            CorsAssert.Headers(refused, ("Vary", "Origin"));
        }
    }

    [RedisFact]
    public async Task HundredThousandTenants_ReadAtStartup_EachTenantOnlyItsOwn()
    {
        await using var redis = await RedisServer.StartAsync();
        await using (var writer = await ConnectionMultiplexer.ConnectAsync(redis.Configuration))
        {
            var database = writer.GetDatabase();
            foreach (var chunk in Enumerable.Range(0, 100_000).Chunk(5_000))
            {
                var batch = database.CreateBatch();
                var writes = chunk.Select(i => batch.SetAddAsync($"corskit:origins:api:t{i.ToString(CultureInfo.InvariantCulture)}", $"https://t{i.ToString(CultureInfo.InvariantCulture)}.example")).ToArray();
                batch.Execute();
                await Task.WhenAll(writes);
            }
        }

        await using var app = await TenantApp.StartAsync(redis);

        Assert.Equal(100_000, app.Source.TenantCount);
        Assert.Equal(100_000, app.Source.OriginCount);
        using var own = await app.GetAsync("t99999", "https://t99999.example");
        CorsAssert.Headers(own, ("Access-Control-Allow-Origin", "https://t99999.example"), ("Vary", "Origin"));
        using var another = await app.GetAsync("t1", "https://t99999.example");
        CorsAssert.Headers(another, ("Vary", "Origin"));
    }
}

using System.Globalization;
using BenchmarkDotNet.Attributes;
using CorsKit.Benchmarks.Infrastructure;
using CorsKit.Redis;
using CorsKit.Sources;
using Microsoft.AspNetCore.Http;
using StackExchange.Redis;

namespace CorsKit.Benchmarks.Scenarios;

/// <summary>
/// An allowed GET whose origin comes from a Redis origin source (a real redis-server, started for the process): the
/// request's host, <c>api.example.com</c>, is the tenant, one of 1,000 tenants of 10 origins each, and its origin is in the
/// local copy. <see cref="CorsKitUntenanted"/> draws from the same source without tenants (the source's untenanted set,
/// which also holds the origin). <see cref="CorsKitStatic"/> is the same policy with the origin listed in
/// <c>WithOrigins</c>, the row the source must stay within 1.1x of; None and Microsoft (the origin listed statically) as
/// in every scenario.
/// </summary>
/// <remarks>
/// Two static rows, because the surroundings of a process matter on this machine. <see cref="CorsKitStatic"/> runs the
/// same app as the source row in the same surroundings (a redis-server, a connection to it, the source loaded and kept
/// in sync, and two policies, one drawing from the source and one listing the origin): only which policy covers
/// <c>GET /items</c> differs. <see cref="CorsKitStaticNoRedis"/> is a plain app with the origin listed and no Redis at
/// all, what an app without origin sources runs. The source row is reported against both (docs/performance.md).
/// </remarks>
public class OriginSourceBenchmark : CorsScenario
{
    private const string Tenant = "api.example.com";

    private CorsSetup? _app;
    private bool _static;
    private bool _untenanted;
    private bool _noRedis;
    private RedisProcess? _redis;
    private ConnectionMultiplexer? _connection;

    // The source row and CorsKitStatic draw one policy from the source and list the origin in the other; the request's
    // policy is the default one. None, Microsoft and CorsKitStaticNoRedis have no sources (both policies list the
    // origin) and start no Redis.
    protected override CorsSetup App => _app ??= Measuring != Implementation.CorsKit || _noRedis
        ? new(new PolicyShape(), new PolicyShape())
        : _static
            ? new(new PolicyShape(), new PolicyShape { OriginSource = StartSource() })
            : new(new PolicyShape { OriginSource = StartSource(), SourceTenant = _untenanted ? OriginTenant.None : OriginTenant.Host }, new PolicyShape());

    protected override BenchRequest Request { get; } = BenchRequest.Get("/items", PolicyShape.AppOrigin);

    [GlobalSetup(Target = nameof(CorsKitUntenanted))]
    public void SetupCorsKitUntenanted()
    {
        _untenanted = true;
        Start(Implementation.CorsKit);
    }

    [Benchmark]
    public Task CorsKitUntenanted() => SendNextAsync();

    [GlobalSetup(Target = nameof(CorsKitStatic))]
    public void SetupCorsKitStatic()
    {
        _static = true;
        Start(Implementation.CorsKit);
    }

    [Benchmark]
    public Task CorsKitStatic() => SendNextAsync();

    [GlobalSetup(Target = nameof(CorsKitStaticNoRedis))]
    public void SetupCorsKitStaticNoRedis()
    {
        _noRedis = true;
        Start(Implementation.CorsKit);
    }

    [Benchmark]
    public Task CorsKitStaticNoRedis() => SendNextAsync();

    // The rows with a source start Redis; this also stops the host, as the base's cleanup does for the other rows.
    [GlobalCleanup(Targets = [nameof(CorsKit), nameof(CorsKitUntenanted), nameof(CorsKitStatic)])]
    public void StopRedis()
    {
        Cleanup();
        _connection?.Dispose();
        _redis?.Dispose();
    }

    protected override void Verify(Implementation implementation, HttpResponse response)
    {
        Expect.Status(response, StatusCodes.Status200OK, nameof(OriginSourceBenchmark));
        Expect.AllowOriginFor(implementation, response, PolicyShape.AppOrigin, nameof(OriginSourceBenchmark));
    }

    private OriginSource StartSource()
    {
        _redis = RedisProcess.Start();
        _connection = RedisOriginStore.ConnectAsync(_redis.Configuration).GetAwaiter().GetResult();
        var store = new RedisOriginStore(_connection, "bench");
        var batch = _connection.GetDatabase().CreateBatch();
        var writes = Enumerable.Range(0, 1000)
            .Select(t => batch.SetAddAsync(store.KeyOf(t == 500 ? Tenant : $"tenant-{t.ToString(CultureInfo.InvariantCulture)}.example.com"), [.. Enumerable.Range(0, 10).Select(o => (RedisValue)(t == 500 && o == 5 ? PolicyShape.AppOrigin : $"https://app-{t:D4}-{o}.example.com"))]))
            .ToArray();
        writes = [.. writes, batch.SetAddAsync(store.KeyOf(string.Empty), [.. Enumerable.Range(0, 10).Select(o => (RedisValue)(o == 5 ? PolicyShape.AppOrigin : $"https://app-untenanted-{o}.example.com"))])];
        batch.Execute();
        Task.WaitAll(writes);
        return new OriginSource("bench", store);
    }
}

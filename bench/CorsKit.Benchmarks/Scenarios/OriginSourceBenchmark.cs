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
/// local copy. <see cref="CorsKitStatic"/> is the same policy with the origin listed in <c>WithOrigins</c>, the row the
/// source must stay within 1.1x of; None and Microsoft (the origin listed statically) as in every scenario.
/// </summary>
public class OriginSourceBenchmark : CorsScenario
{
    private const string Tenant = "api.example.com";

    private CorsSetup? _app;
    private bool _static;
    private RedisProcess? _redis;
    private ConnectionMultiplexer? _connection;

    // Redis is started only for the row that reads from it: CorsKit (None and Microsoft ignore the source).
    protected override CorsSetup App => _app ??= _static ? new(new PolicyShape()) : new(new PolicyShape { OriginSource = Measuring == Implementation.CorsKit ? StartSource() : null });

    protected override BenchRequest Request { get; } = BenchRequest.Get("/items", PolicyShape.AppOrigin);

    [GlobalSetup(Target = nameof(CorsKitStatic))]
    public void SetupCorsKitStatic()
    {
        _static = true;
        Start(Implementation.CorsKit);
    }

    [Benchmark]
    public Task CorsKitStatic() => SendNextAsync();

    // Only the CorsKit row starts Redis; it also stops the host, as the base's cleanup does for the other rows.
    [GlobalCleanup(Target = nameof(CorsKit))]
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
        batch.Execute();
        Task.WaitAll(writes);
        return new OriginSource("bench", store);
    }
}

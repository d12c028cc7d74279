using CorsKit.AspNetCore.Tests.Infrastructure;
using CorsKit.Sources;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace CorsKit.Redis.Tests.Infrastructure;

/// <summary>
/// One instance of a multi-tenant API on Kestrel at 127.0.0.1, with its own Redis connection: <c>/tenants/{tenant}/data</c>
/// allows <see cref="StaticOrigin"/> and its tenant's origins from the Redis source <c>api</c>; <c>/health</c> reports the
/// origin source.
/// </summary>
public sealed class TenantApp : IAsyncDisposable
{
    public const string StaticOrigin = "https://static.example.com";

    private TenantApp(TestApp app, ConnectionMultiplexer redis, OriginSource source, RedisOriginStore store)
    {
        App = app;
        Redis = redis;
        Source = source;
        Store = store;
    }

    public TestApp App { get; }

    public ConnectionMultiplexer Redis { get; }

    public OriginSource Source { get; }

    public RedisOriginStore Store { get; }

    public static async Task<TenantApp> StartAsync(RedisServer server, OriginSourceOptions? options = null, TimeProvider? time = null)
    {
        var redis = await RedisOriginStore.ConnectAsync(server.Configuration);
        var store = new RedisOriginStore(redis, "api");
        var source = new OriginSource("api", store, options ?? new OriginSourceOptions { RetryInterval = TimeSpan.FromMilliseconds(200) });
        var app = await TestApp.StartAsync(
            cors => cors.AddDefaultPolicy(p => p.WithOrigins(StaticOrigin).WithOriginsFrom(source, OriginTenant.FromRouteValue("tenant")).WithMethods("PUT")),
            web =>
            {
                web.MapGet("/tenants/{tenant}/data", (string tenant) => $"data of {tenant}");
                web.MapPut("/tenants/{tenant}/data", (string tenant) => $"saved for {tenant}");
                web.MapHealthChecks("/health").WithoutCors();
            },
            configure: b => b.Services.AddHealthChecks().AddCorsKitOriginSources(),
            kestrel: true,
            before: b =>
            {
                if (time is not null)
                {
                    b.Services.AddSingleton(time);
                }
            });
        return new TenantApp(app, redis, source, store);
    }

    public Task<HttpResponseMessage> GetAsync(string tenant, string origin) => App.GetAsync($"/tenants/{tenant}/data", origin);

    public async Task<string> HealthAsync()
    {
        using var response = await App.Client.GetAsync(new Uri("/health", UriKind.Relative));
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Polls until <paramref name="origin"/> is allowed (or refused) for <paramref name="tenant"/>, at most 10 s.</summary>
    public async Task<HttpResponseMessage> WaitUntilAsync(string tenant, string origin, bool allowed)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var response = await GetAsync(tenant, origin);
            if (response.Headers.Contains("Access-Control-Allow-Origin") == allowed || DateTime.UtcNow > deadline)
            {
                return response;
            }

            response.Dispose();
            await Task.Delay(20);
        }
    }

    /// <summary>Polls until the source reports <paramref name="status"/>, at most 10 s (a sync runs on its own loop).</summary>
    public async Task WaitForStatusAsync(OriginSourceStatus status)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (Source.Status != status && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Equal(status, Source.Status);
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Redis.DisposeAsync();
    }
}

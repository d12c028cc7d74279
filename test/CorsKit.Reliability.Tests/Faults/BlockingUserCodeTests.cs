using CorsKit.AspNetCore.Tests.Infrastructure;
using CorsKit.Isolation;
using CorsKit.Reliability.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using CorsPolicy = CorsKit.Policies.CorsPolicy;
using CorsPolicyBuilder = CorsKit.Policies.CorsPolicyBuilder;

namespace CorsKit.Reliability.Tests.Faults;

/// <summary>
/// User code that blocks its thread (a synchronous database call, <c>Thread.Sleep</c>) on Kestrel at 127.0.0.1: it runs on
/// CorsKit's own threads, so it is answered fail-closed within its budget and cannot starve the thread pool that every
/// other request needs. The blocked code waits on an event the test releases at the end; nothing here measures time.
/// </summary>
public sealed class BlockingUserCodeTests : IDisposable
{
    private const string App = FaultApp.App;
    private const int PerKind = 40;
    private static readonly CorsPolicy AppPolicy = new CorsPolicyBuilder("provided").WithOrigins(App).Build();
    private readonly ManualResetEventSlim _release = new();

    public void Dispose()
    {
        _release.Set();
        _release.Dispose();
    }

    [Fact]
    public async Task Provider_BlocksSynchronously_AnsweredFailClosedWhileStillBlocked()
    {
        using var entered = new ManualResetEventSlim();
        var time = new FakeTimeProvider();
        await using var app = await KestrelApp.StartAsync(
            o => o.AddPolicyProvider("blocking", (_, _) =>
            {
                entered.Set();
                _release.Wait(CancellationToken.None); // a synchronous call that never looks at the token
                return ValueTask.FromResult<CorsPolicy?>(AppPolicy);
            }),
            app => app.MapGet("/provided", () => "served").WithCors("blocking"),
            builder => builder.Services.AddSingleton<TimeProvider>(time));

        var pending = FaultTests.Get(app, "/provided", App);
        await Task.Run(() => entered.Wait()); // off the test's thread, which the request's continuations may need
        time.Advance(TimeSpan.FromSeconds(1));
        using var response = await pending;

        Assert.False(_release.IsSet);
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("served", await response.Content.ReadAsStringAsync());
        CorsAssert.Headers(response, ("Vary", "Origin"));
        var error = Assert.Single(app.Logs.Entries, e => e.Level >= LogLevel.Error);
        Assert.Equal(("CorsKit.AspNetCore.CorsKitMiddleware", 9), (error.Category, error.EventId));
        Assert.StartsWith("policy provider 'blocking' did not answer within its budget of 1 s;", Assert.IsType<TimeoutException>(error.Exception).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ManyBlockedPredicatesAndProviders_UnrelatedRequestsServedBeforeTheyAreReleased()
    {
        using var entered = new CountdownEvent(PerKind * 2);
        var returned = 0;
        bool Block()
        {
            entered.Signal();
            _release.Wait(CancellationToken.None);
            Interlocked.Increment(ref returned);
            return true;
        }

        // Budgets long enough that every blocked call is still awaited while the other requests are served; a bound
        // that admits them all, whether the predicates share the application's bulkhead or the process-wide one.
        var budget = TimeSpan.FromSeconds(20);
        await using var app = await KestrelApp.StartAsync(
            o =>
            {
                o.MaxUserCodeCallsInFlight = PerKind * 2 + 10;
                o.AddPolicy("static", p => p.WithOrigins(App).WithMethods("PUT").AllowCredentials());
                o.AddPolicy("blocking-predicate", p => p.WithOriginPredicate(_ => Block()).WithOriginPredicateTimeout(budget));
                o.AddPolicyProvider("blocking-provider", (_, _) => ValueTask.FromResult<CorsPolicy?>(Block() ? AppPolicy : null), budget);
            },
            app =>
            {
                app.MapGet("/plain", () => "plain");
                app.MapMethods("/static", ["GET", "PUT"], () => "static").WithCors("static");
                app.MapGet("/predicate", () => "served").WithCors("blocking-predicate");
                app.MapGet("/provider", () => "served").WithCors("blocking-provider");
            });
        var blocked = new List<Task<HttpResponseMessage>>();
        for (var i = 0; i < PerKind; i++)
        {
            blocked.Add(FaultTests.Get(app, "/predicate", App));
            blocked.Add(FaultTests.Get(app, "/provider", App));
        }

        Assert.True(await Task.Run(() => entered.Wait(TimeSpan.FromSeconds(30))), $"only {PerKind * 2 - entered.CurrentCount} of {PerKind * 2} calls started");

        using var plain = await FaultTests.Get(app, "/plain", App);
        using var withStaticPolicy = await FaultTests.Get(app, "/static", App);
        using var preflight = await app.Client.SendAsync(Preflight("/static"));

        // Served while all 80 calls are still blocked (none has returned): they hold CorsKit's threads, not the pool's.
        Assert.Equal(0, Volatile.Read(ref returned));
        Assert.Equal("plain", await plain.Content.ReadAsStringAsync());
        CorsAssert.Headers(plain);
        Assert.Equal("static", await withStaticPolicy.Content.ReadAsStringAsync());
        CorsAssert.Headers(withStaticPolicy, ("Access-Control-Allow-Origin", App), ("Access-Control-Allow-Credentials", "true"), ("Vary", "Origin"));
        Assert.Equal(204, (int)preflight.StatusCode);
        CorsAssert.Headers(preflight, ("Access-Control-Allow-Origin", App), ("Access-Control-Allow-Credentials", "true"), ("Access-Control-Allow-Methods", "PUT"), ("Vary", "Origin"));

        _release.Set();
        foreach (var response in await Task.WhenAll(blocked))
        {
            using (response)
            {
                Assert.Equal("served", await response.Content.ReadAsStringAsync());
            }
        }

        Assert.Equal(PerKind * 2, Volatile.Read(ref returned));
        Assert.Equal(0, app.App.Services.GetRequiredService<UserCodeBulkhead>().CallsInFlight);
    }

    private static HttpRequestMessage Preflight(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", App);
        request.Headers.Add("Access-Control-Request-Method", "PUT");
        return request;
    }
}

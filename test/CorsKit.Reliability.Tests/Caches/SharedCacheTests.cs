using CorsKit.AspNetCore;
using CorsKit.AspNetCore.Tests.Infrastructure;
using CorsKit.Demo;
using CorsKit.Reliability.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace CorsKit.Reliability.Tests.Caches;

/// <summary>
/// The demo API behind a real nginx <c>proxy_cache</c> (Fetch, "CORS protocol and HTTP caches"): cacheable responses requested in turn
/// from two allowed origins, a disallowed one and none. CorsKit's <c>Vary: Origin</c> must keep every origin's answer
/// apart; two controls show the same cache leaking one origin's <c>Access-Control-Allow-Origin</c> to another as soon
/// as no Vary protects the response, so the assertion can fail.
/// </summary>
public sealed class SharedCacheTests(ITestOutputHelper output)
{
    private const string OriginA = "https://a.example.test";
    private const string OriginB = "https://b.example.test";
    private const string Evil = "https://evil.example.test";

    // Each origin twice in a row (so the second can be a cache hit), the first of each round changing: every origin,
    // and no origin, gets to fill the cache for the others.
    private static readonly string?[] Round = [OriginA, OriginA, OriginB, OriginB, Evil, Evil, null, null];
    private const int Rounds = 8;

    [RealComponentFact("nginx", "nginx")]
    public async Task ProxyCache_VaryOrigin_NoOriginEverGetsAnotherOriginsAllowOrigin()
    {
        await using var demo = await StartDemoAsync();
        await using var nginx = await NginxProxy.StartAsync(demo.Port);
        using var client = new HttpClient { BaseAddress = nginx.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };

        // Straight from the app: cacheable, and varying on Origin.
        var direct = await SendAsync(demo.Client, "/cache/varied", OriginA);
        Assert.Equal("public, max-age=60", direct.Headers.CacheControl?.ToString());
        CorsAssert.Headers(direct, ("Access-Control-Allow-Origin", OriginA), ("Access-Control-Allow-Credentials", "true"), ("Vary", "Origin"));

        var result = await RunAsync(client, "/cache/varied");

        output.WriteLine($"FIGURE cache: nginx proxy_cache, Vary: Origin from CorsKit: {result.Requests} requests, {result.Hits} cache hits, {result.Wrong} wrong answers, {result.Leaks} leaks");
        Assert.True(result.Hits >= Rounds * 3, $"the cache must actually serve hits, or the test proves nothing ({result.Hits} hits)\n{nginx.ErrorLog}");
        Assert.Equal(0, result.Leaks);
        Assert.Equal(0, result.Wrong);
    }

    [RealComponentFact("nginx", "nginx")]
    public async Task ProxyCache_WithoutVary_LeaksAnotherOriginsAllowOrigin()
    {
        await using var demo = await StartDemoAsync();
        await using var nginx = await NginxProxy.StartAsync(demo.Port);
        using var client = new HttpClient { BaseAddress = nginx.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };

        // Control 1: an app without CorsKit whose endpoint echoes allowed origins by hand and forgets Vary (what the
        // tutorials teach). Behind CorsKit that header would be CorsKit's own answer, so it runs on an app of its own.
        await using var handWrittenApp = await StartHandWrittenAsync();
        await using var handWrittenNginx = await NginxProxy.StartAsync(handWrittenApp.Port);
        using var handWrittenClient = new HttpClient { BaseAddress = handWrittenNginx.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var handWritten = await RunAsync(handWrittenClient, "/cache/hand-written");

        // Control 2: CorsKit's very responses, through the same cache told to ignore Vary.
        var ignored = await RunAsync(client, "/ignore-vary/cache/varied");

        output.WriteLine($"FIGURE cache control: without Vary the same nginx leaked {handWritten.Leaks} of {handWritten.Requests} (hand-written ACAO) " +
            $"and {ignored.Leaks} of {ignored.Requests} (CorsKit's responses, Vary ignored)");
        Assert.True(handWritten.Leaks > 0, "a cache without Vary must leak, or the main test could not fail");
        Assert.True(ignored.Leaks > 0, "a cache ignoring Vary must leak CorsKit's answers too: Vary is what protects them");
    }

    private static async Task<CacheRun> RunAsync(HttpClient client, string path)
    {
        int requests = 0, hits = 0, leaks = 0, wrong = 0;
        for (var round = 0; round < Rounds; round++)
        {
            for (var i = 0; i < Round.Length; i++)
            {
                var origin = Round[(i + (round * 2)) % Round.Length];
                using var response = await SendAsync(client, path, origin);
                Assert.Equal(200, (int)response.StatusCode);
                requests++;
                hits += response.Headers.TryGetValues("X-Cache-Status", out var status) && status.Single() == "HIT" ? 1 : 0;

                var expected = origin is OriginA or OriginB ? origin : null;
                var actual = response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) ? string.Join(", ", values) : null;
                if (actual is not null && actual != origin)
                {
                    leaks++; // another origin's ACAO (or any ACAO for a refused origin or none): the browser would let it read
                }
                else if (actual != expected)
                {
                    wrong++; // an allowed origin served a cached answer without its ACAO: not a leak, but broken
                }
            }
        }

        return new CacheRun(requests, hits, leaks, wrong);
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string path, string? origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        return client.SendAsync(request);
    }

    /// <summary>
    /// The demo as it ships, on Kestrel at 127.0.0.1, plus what only this test needs: a policy allowing two origins
    /// (the demo's own allow only its page) and cacheable routes that use it.
    /// </summary>
    private static async Task<KestrelApp> StartDemoAsync()
    {
        var logs = new LogSink();
        var app = DemoApp.Build(["--api", "http://127.0.0.1:0", "--serve-page", "false", "--environment", "Production"], builder =>
        {
            KestrelApp.CaptureLogs(builder, logs);
            builder.Services.Configure<CorsKitOptions>(options => options.AddPolicy("two-origins", policy => policy.WithOrigins(OriginA, OriginB).AllowCredentials()));
        });

        var served = 0;
        app.MapGet("/cache/varied", (HttpResponse response) =>
        {
            response.Headers.CacheControl = "public, max-age=60";
            return $"fresh answer {Interlocked.Increment(ref served)}";
        }).WithCors("two-origins");

        return await KestrelApp.StartBuiltAsync(app, logs);
    }

    // No CorsKit: what an app that writes Access-Control-Allow-Origin by hand sends.
    private static Task<KestrelApp> StartHandWrittenAsync()
    {
        var served = 0;
        return KestrelApp.StartAsync(WebApplication.CreateBuilder(), _ => { }, app => app.MapGet("/cache/hand-written", (HttpContext context) =>
        {
            var origin = context.Request.Headers.Origin.ToString();
            if (origin is OriginA or OriginB)
            {
                context.Response.Headers.AccessControlAllowOrigin = origin;
            }

            context.Response.Headers.CacheControl = "public, max-age=60";
            return $"fresh answer {Interlocked.Increment(ref served)}";
        }));
    }

    private sealed record CacheRun(int Requests, int Hits, int Leaks, int Wrong);
}

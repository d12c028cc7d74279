using System.IO.Compression;
using System.Text;
using System.Text.Json;
using CorsKit.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;

namespace CorsKit.AspNetCore.Tests.Caching;

/// <summary>
/// The middlewares that keep or transform responses (OutputCache, ResponseCompression, <c>UseStaticFiles</c>,
/// <c>MapStaticAssets</c>), on Kestrel, asked by two allowed origins, a refused one and no origin, in two orders: every
/// response carries the CORS headers of its own request's origin and the exact <c>Vary</c>, a cached entry never carries
/// one origin's <c>Access-Control-Allow-Origin</c> to another, and conditional requests (304) and compressed and
/// uncompressed variants are answered the same way. (Preflights through these middlewares: <c>CompositionMatrixTests</c>.)
/// </summary>
public sealed class CachedResponseTests
{
    private const string A = "https://a.example";
    private const string B = "https://b.example";
    private const string Refused = "https://evil.example";
    private const string StaticText = "static text, the same for every origin\n";

    /// <summary>Who asks, in order: allowed origins first, or the refused one first (a cache filled by a refusal).</summary>
    public static TheoryData<string> Orders => new() { "a b refused none a", "refused none b a b" };

    [Theory]
    [MemberData(nameof(Orders))]
    public async Task OutputCache_EveryOrigin_OneCachedBodyEachOriginsOwnHeaders(string order)
    {
        var runs = 0;
        await using var app = await StartAsync(
            app =>
            {
                app.UseOutputCache();
                app.MapGet("/cached", () => $"run {Interlocked.Increment(ref runs)}").CacheOutput();
            },
            builder => builder.Services.AddOutputCache());

        foreach (var origin in Origins(order))
        {
            var response = await app.GetAsync("/cached", origin);

            await ResponseAssert.BodyAsync(response, 200, "run 1");
            CorsAssert.Headers(response, Cors(origin, "Origin"));
        }

        Assert.Equal(1, runs);
        Assert.Empty(app.Logs.ForEvent(5)); // the cached entry never held CORS headers for CorsKit to overrule
    }

    [Theory]
    [MemberData(nameof(Orders))]
    public async Task OutputCacheBehindResponseCompression_EveryOriginAndEncoding_OneCachedBodyEachOriginsOwnHeaders(string order)
    {
        var runs = 0;
        await using var app = await StartAsync(
            app =>
            {
                app.UseResponseCompression();
                app.UseOutputCache();
                app.MapGet("/cached", () => $"run {Interlocked.Increment(ref runs)}").CacheOutput();
            },
            builder =>
            {
                builder.Services.AddOutputCache();
                builder.Services.AddResponseCompression(o => o.MimeTypes = ["text/plain"]);
            });

        foreach (var origin in Origins(order))
        {
            foreach (var gzip in new[] { true, false })
            {
                var response = await app.GetAsync("/cached", origin, AcceptEncoding(gzip));

                Assert.Equal(200, (int)response.StatusCode);
                Assert.Equal("run 1", await BodyAsync(response, gzip));
                CorsAssert.Headers(response, Cors(origin, "Accept-Encoding, Origin"));
            }
        }

        Assert.Equal(1, runs);
        Assert.Empty(app.Logs.ForEvent(5)); // the cached entry never held CORS headers for CorsKit to overrule
    }

    [Theory]
    [MemberData(nameof(Orders))]
    public async Task ResponseCompression_EveryOriginAndEncoding_CorsHeadersAndVaryOnBoth(string order)
    {
        await using var app = await StartAsync(
            app =>
            {
                app.UseResponseCompression();
                app.MapGet("/text", () => StaticText);
            },
            builder => builder.Services.AddResponseCompression(o => o.MimeTypes = ["text/plain"]));

        foreach (var origin in Origins(order))
        {
            foreach (var gzip in new[] { true, false })
            {
                var response = await app.GetAsync("/text", origin, AcceptEncoding(gzip));

                Assert.Equal(StaticText, await BodyAsync(response, gzip));
                CorsAssert.Headers(response, Cors(origin, "Accept-Encoding, Origin"));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Orders))]
    public async Task UseStaticFiles_EveryOriginFullAndConditional_CorsHeadersOnThe200AndThe304(string order)
    {
        using var files = new StaticFolder();
        await using var app = await StartAsync(app => app.UseStaticFiles(new StaticFileOptions { FileProvider = files.Provider }));

        foreach (var origin in Origins(order))
        {
            var full = await app.GetAsync("/hello.txt", origin);
            await ResponseAssert.BodyAsync(full, 200, StaticText);
            CorsAssert.Headers(full, Cors(origin, "Origin"));

            var conditional = await app.GetAsync("/hello.txt", origin, ("If-None-Match", full.Headers.ETag!.Tag));
            await ResponseAssert.BodyAsync(conditional, 304, string.Empty);
            CorsAssert.Headers(conditional, Cors(origin, "Origin"));
        }
    }

    [Theory]
    [MemberData(nameof(Orders))]
    public async Task UseStaticFilesBehindResponseCompression_EveryOriginEncodingAndCondition_CorsHeadersAndVary(string order)
    {
        using var files = new StaticFolder();
        await using var app = await StartAsync(
            app =>
            {
                app.UseResponseCompression();
                app.UseStaticFiles(new StaticFileOptions { FileProvider = files.Provider });
            },
            builder => builder.Services.AddResponseCompression(o => o.MimeTypes = ["text/plain"]));

        foreach (var origin in Origins(order))
        {
            foreach (var gzip in new[] { true, false })
            {
                var full = await app.GetAsync("/hello.txt", origin, AcceptEncoding(gzip));
                Assert.Equal(StaticText, await BodyAsync(full, gzip));
                CorsAssert.Headers(full, Cors(origin, "Accept-Encoding, Origin"));

                var conditional = await app.GetAsync("/hello.txt", origin, AcceptEncoding(gzip, ("If-None-Match", full.Headers.ETag!.Tag)));
                await ResponseAssert.BodyAsync(conditional, 304, string.Empty);

                // ResponseCompression adds its Vary only to a response with a body it could compress, so a 304 from
                // UseStaticFiles goes out without Accept-Encoding (RFC 9110 section 15.4.5 asks for the 200's Vary);
                // CorsKit's Origin is on it all the same. MapStaticAssets, below, sends both.
                CorsAssert.Headers(conditional, Cors(origin, "Origin"));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Orders))]
    public async Task MapStaticAssets_EveryOriginEncodingAndCondition_CorsHeadersAndVary(string order)
    {
        // The static web assets manifests the SDK wrote for CorsKit.StaticAssets.Site (copied next to these tests by the
        // project reference): its endpoints, and the runtime manifest mapping them to its wwwroot and the build's
        // precompressed .gz files.
        var manifests = AppContext.BaseDirectory;
        await using var app = await StartAsync(
            app => app.MapStaticAssets(Path.Combine(manifests, "CorsKit.StaticAssets.Site.staticwebassets.endpoints.json")),
            builder =>
            {
                builder.WebHost.UseSetting(WebHostDefaults.StaticWebAssetsKey, Path.Combine(manifests, "CorsKit.StaticAssets.Site.staticwebassets.runtime.json"));
                builder.WebHost.UseStaticWebAssets();
                // As a published app serves them: the manifest's headers and ETags, not re-read from disk per request.
                builder.Configuration["ReloadStaticAssetsAtRuntime"] = "false";
            });
        var text = await File.ReadAllTextAsync(Path.Combine(SiteWebRoot(manifests), "static.txt"));

        foreach (var origin in Origins(order))
        {
            foreach (var gzip in new[] { true, false })
            {
                var full = await app.GetAsync("/static.txt", origin, AcceptEncoding(gzip));
                Assert.Equal(gzip ? "gzip" : null, full.Content.Headers.ContentEncoding.SingleOrDefault());
                Assert.Equal(text, await BodyAsync(full, gzip));
                CorsAssert.Headers(full, Cors(origin, "Accept-Encoding, Origin"));

                var conditional = await app.GetAsync("/static.txt", origin, AcceptEncoding(gzip, ("If-None-Match", full.Headers.ETag!.Tag)));
                await ResponseAssert.BodyAsync(conditional, 304, string.Empty);
                CorsAssert.Headers(conditional, Cors(origin, "Accept-Encoding, Origin"));
            }
        }
    }

    // The site's wwwroot, as the runtime manifest names it (its first content root).
    private static string SiteWebRoot(string manifests)
    {
        using var runtime = JsonDocument.Parse(File.ReadAllText(Path.Combine(manifests, "CorsKit.StaticAssets.Site.staticwebassets.runtime.json")));
        return runtime.RootElement.GetProperty("ContentRoots")[0].GetString()!;
    }

    private static Task<TestApp> StartAsync(Action<WebApplication> map, Action<WebApplicationBuilder>? configure = null) =>
        TestApp.StartAsync(o => o.AddDefaultPolicy(p => p.WithOrigins(A, B).AllowCredentials()), map, configure, kestrel: true);

    private static IEnumerable<string?> Origins(string order) => order.Split(' ').Select(o => o switch
    {
        "a" => A,
        "b" => B,
        "refused" => Refused,
        "none" => null,
        _ => throw new ArgumentException($"unknown origin '{o}'", nameof(order)),
    });

    // What each origin must get: its own origin and credentials when allowed; only Vary otherwise.
    private static (string, string)[] Cors(string? origin, string vary) => origin is A or B
        ? [("Access-Control-Allow-Origin", origin), ("Access-Control-Allow-Credentials", "true"), ("Vary", vary)]
        : [("Vary", vary)];

    private static (string, string)[] AcceptEncoding(bool gzip, params (string, string)[] more) =>
        [("Accept-Encoding", gzip ? "gzip" : "identity"), .. more];

    // The body as the client reads it: gunzipped when the response says gzip, which it must exactly when asked.
    private static async Task<string> BodyAsync(HttpResponseMessage response, bool gzip)
    {
        Assert.Equal(gzip ? ["gzip"] : [], response.Content.Headers.ContentEncoding.ToArray());
        var bytes = await response.Content.ReadAsByteArrayAsync();
        if (!gzip)
        {
            return Encoding.UTF8.GetString(bytes);
        }

        await using var unzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
        using var reader = new StreamReader(unzip, Encoding.UTF8);
        return await reader.ReadToEndAsync();
    }

    private sealed class StaticFolder : IDisposable
    {
        private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("corskit-static-");

        public StaticFolder()
        {
            File.WriteAllText(Path.Combine(_directory.FullName, "hello.txt"), StaticText);
            Provider = new PhysicalFileProvider(_directory.FullName);
        }

        public PhysicalFileProvider Provider { get; }

        public void Dispose()
        {
            Provider.Dispose();
            _directory.Delete(recursive: true);
        }
    }
}

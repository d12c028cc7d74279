using CorsKit.AspNetCore.Tests.Errors;
using CorsKit.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Rewrite;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;

namespace CorsKit.AspNetCore.Tests.Security;

/// <summary>
/// CorsKit composed the way apps compose it, on Kestrel: for each composition, a preflight and an actual request from the
/// origin the endpoint allows and from the origin only the default policy allows, with the exact CORS headers, and the
/// endpoint never run by a preflight. The endpoint's policy ("strict") differs from the default, so a preflight that got
/// the wrong policy shows.
/// </summary>
public sealed class CompositionMatrixTests
{
    private const string Strict = "https://strict.example";
    private const string Lenient = "https://lenient.example";

    public static TheoryData<string> Compositions => new(Composition.All.Keys);

    [Theory]
    [MemberData(nameof(Compositions))]
    public async Task Preflight_AllowedOrigin_GetsTheEndpointsPolicyAndNoEndpointRuns(string name)
    {
        var composition = Composition.All[name];
        await using var app = await composition.StartAsync();

        var response = await Send(app, composition, HttpMethod.Options, Strict, preflight: true);

        Assert.Equal(204, (int)response.StatusCode);
        Assert.Equal(string.Empty, await response.Content.ReadAsStringAsync());
        CorsAssert.Headers(response, ("Access-Control-Allow-Origin", Strict), ("Access-Control-Allow-Methods", "PUT"), ("Vary", "Origin"));
        Assert.Equal(0, composition.Runs);
    }

    [Theory]
    [MemberData(nameof(Compositions))]
    public async Task Preflight_OriginOnlyTheDefaultAllows_RefusedAndNoEndpointRuns(string name)
    {
        var composition = Composition.All[name];
        await using var app = await composition.StartAsync();

        var response = await Send(app, composition, HttpMethod.Options, Lenient, preflight: true);

        Assert.Equal(204, (int)response.StatusCode);
        CorsAssert.Headers(response, ("Vary", "Origin"));
        Assert.Equal(0, composition.Runs);
    }

    [Theory]
    [MemberData(nameof(Compositions))]
    public async Task Actual_AllowedOrigin_GetsTheEndpointsPolicy(string name)
    {
        var composition = Composition.All[name];
        await using var app = await composition.StartAsync();

        var response = await Send(app, composition, HttpMethod.Put, Strict, preflight: false);

        Assert.Equal(composition.ActualStatus, (int)response.StatusCode);
        CorsAssert.Headers(response, [("Access-Control-Allow-Origin", Strict), .. composition.ExtraHeaders]);
    }

    [Theory]
    [MemberData(nameof(Compositions))]
    public async Task Actual_OriginOnlyTheDefaultAllows_NoCorsHeaders(string name)
    {
        var composition = Composition.All[name];
        await using var app = await composition.StartAsync();

        var response = await Send(app, composition, HttpMethod.Put, Lenient, preflight: false);

        Assert.Equal(composition.ActualStatus, (int)response.StatusCode);
        CorsAssert.Headers(response, composition.ExtraHeaders);
    }

    private static Task<HttpResponseMessage> Send(TestApp app, Composition composition, HttpMethod method, string origin, bool preflight)
    {
        var request = new HttpRequestMessage(method, composition.Url);
        request.Headers.TryAddWithoutValidation("Origin", origin);
        if (preflight)
        {
            request.Headers.TryAddWithoutValidation("Access-Control-Request-Method", "PUT");
        }

        foreach (var (header, value) in composition.RequestHeaders)
        {
            request.Headers.TryAddWithoutValidation(header, value);
        }

        return app.Client.SendAsync(request);
    }

    /// <summary>One way of composing the app, and what its actual request answers.</summary>
    public sealed class Composition(string url, Action<WebApplication, Composition> map, Action<WebApplicationBuilder>? configure = null)
    {
        public static readonly Dictionary<string, Composition> All = new()
        {
            ["plain"] = new("/strict", (app, c) => c.MapStrict(app)),
            ["UsePathBase"] = new("/base/strict", (app, c) =>
            {
                app.UsePathBase("/base");
                app.UseRouting();
                c.MapStrict(app);
            }),
            ["Map branch with its own routing"] = new("/v1/strict", (app, c) => app.Map("/v1", branch =>
            {
                branch.UseRouting();
                branch.UseEndpoints(endpoints => c.MapStrict(endpoints));
            })),
            ["UseRewriter"] = new("/api/strict", (app, c) =>
            {
                app.UseRewriter(new RewriteOptions().AddRewrite("^api/(.*)$", "$1", skipRemainingRules: true));
                app.UseRouting();
                c.MapStrict(app);
            }),
            ["forwarded host and prefix"] = new("/strict", (app, c) =>
            {
                var options = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedHost | ForwardedHeaders.XForwardedPrefix };
                options.AllowedHosts.Add("api.example.com");
                app.UseForwardedHeaders(options);
                app.UseRouting();
                app.MapMethods("/strict", ["PUT"], () => "lenient host").RequireHost("localhost", "127.0.0.1");
                c.MapStrict(app).RequireHost("api.example.com");
            })
            {
                RequestHeaders = [("X-Forwarded-Host", "api.example.com"), ("X-Forwarded-Prefix", "/gateway")],
            },
            ["UseExceptionHandler re-execution"] = new("/strict", (app, c) =>
            {
                app.UseExceptionHandler("/error");
                app.UseRouting();
                app.Map("/error", () => Results.Problem("failed"));
                app.MapPut("/strict", () =>
                {
                    Interlocked.Increment(ref c._runs);
                    throw new InvalidOperationException("boom");
                }).WithCors("strict");
            })
            {
                ActualStatus = 500,
            },
            ["UseStatusCodePagesWithReExecute"] = new("/strict", (app, c) =>
            {
                app.UseStatusCodePagesWithReExecute("/status/{0}");
                app.UseRouting();
                app.Map("/status/{code}", (int code) => Results.Text($"status {code}"));
                app.MapPut("/strict", () =>
                {
                    Interlocked.Increment(ref c._runs);
                    return Results.NotFound();
                }).WithCors("strict");
            })
            {
                ActualStatus = 404,
            },
            ["authentication and a fallback authorization policy"] = new("/strict", (app, c) =>
            {
                app.UseRouting();
                app.UseAuthentication();
                app.UseAuthorization();
                c.MapStrict(app).RequireAuthorization();
            }, builder =>
            {
                builder.Services.AddAuthentication(TestAuthenticationHandler.SchemeName)
                    .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, TestAuthenticationHandler>(TestAuthenticationHandler.SchemeName, null);
                builder.Services.AddAuthorizationBuilder().SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
            })
            {
                ActualStatus = 401,
            },
            ["OutputCache"] = new("/strict", (app, c) =>
            {
                app.UseRouting();
                app.UseOutputCache();
                c.MapStrict(app).CacheOutput(p => p.AddPolicy<CacheEveryMethod>());
            }, builder => builder.Services.AddOutputCache()),
            ["ResponseCompression"] = new("/strict", (app, c) =>
            {
                app.UseResponseCompression();
                app.UseRouting();
                c.MapStrict(app);
            }, builder => builder.Services.AddResponseCompression(o => o.MimeTypes = ["text/plain"]))
            {
                RequestHeaders = [("Accept-Encoding", "gzip")],
                ExtraHeaders = [("Vary", "Accept-Encoding, Origin")],
            },
            ["static files before routing"] = new("/strict", (app, c) =>
            {
                app.UseStaticFiles(new StaticFileOptions { FileProvider = new NullFileProvider() });
                app.UseRouting();
                c.MapStrict(app);
            }),
        };

        private int _runs;

        public string Url { get; } = url;

        public int Runs => Volatile.Read(ref _runs);

        public int ActualStatus { get; init; } = 200;

        public (string, string)[] RequestHeaders { get; init; } = [];

        public (string, string)[] ExtraHeaders { get; init; } = [("Vary", "Origin")];

        public Task<TestApp> StartAsync()
        {
            _runs = 0;
            return TestApp.StartAsync(
                o =>
                {
                    o.AddDefaultPolicy(p => p.WithOrigins(Lenient).WithMethods("PUT"));
                    o.AddPolicy("strict", p => p.WithOrigins(Strict).WithMethods("PUT"));
                },
                app => map(app, this),
                configure,
                kestrel: true);
        }

        private RouteHandlerBuilder MapStrict(IEndpointRouteBuilder endpoints) =>
            endpoints.MapPut("/strict", () =>
            {
                Interlocked.Increment(ref _runs);
                return "updated";
            }).WithCors("strict");

        public override string ToString() => Url;
    }

    // Output caching caches GET and HEAD only by default; this test caches the PUT too, to show the cached copy
    // never carries one origin's answer to another.
    private sealed class CacheEveryMethod : Microsoft.AspNetCore.OutputCaching.IOutputCachePolicy
    {
        public ValueTask CacheRequestAsync(Microsoft.AspNetCore.OutputCaching.OutputCacheContext context, CancellationToken cancellation)
        {
            context.EnableOutputCaching = true;
            context.AllowCacheLookup = true;
            context.AllowCacheStorage = true;
            return ValueTask.CompletedTask;
        }

        public ValueTask ServeFromCacheAsync(Microsoft.AspNetCore.OutputCaching.OutputCacheContext context, CancellationToken cancellation) => ValueTask.CompletedTask;

        public ValueTask ServeResponseAsync(Microsoft.AspNetCore.OutputCaching.OutputCacheContext context, CancellationToken cancellation) => ValueTask.CompletedTask;
    }
}

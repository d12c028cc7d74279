using CorsKit.AspNetCore.Tests.Infrastructure;
using CorsKit.Policies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Cors;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using CorsPolicy = CorsKit.Policies.CorsPolicy;

namespace CorsKit.AspNetCore.Tests.Security;

/// <summary>
/// Attacks on CorsKit's guarantees, on Kestrel: each test states a guarantee and tries to break it. A test marked
/// "BROKEN" shows an exploit (see its Skip reason); the others document that the guarantee held.
/// </summary>
[Collection(WallClockBounds.Name)]
public sealed class AttackTests
{
    private const string Strict = "https://strict.example";
    private const string Lenient = "https://lenient.example";

    private static readonly (string, string)[] StrictPut =
        [("Access-Control-Allow-Origin", Strict), ("Access-Control-Allow-Methods", "PUT,DELETE"), ("Vary", "Origin")];

    private static readonly (string, string)[] RefusedOnlyVary = [("Vary", "Origin")];

    private static Task<TestApp> StartAsync(Action<WebApplication> map, Action<WebApplicationBuilder>? configure = null, Action<CorsKitOptions>? more = null, Action<WebApplicationBuilder>? before = null) =>
        TestApp.StartAsync(
            o =>
            {
                o.AddDefaultPolicy(p => p.WithOrigins(Lenient).WithMethods("PUT", "POST", "DELETE", "PATCH").AllowAnyHeader());
                o.AddPolicy("strict", p => p.WithOrigins(Strict).WithMethods("PUT", "DELETE"));
                more?.Invoke(o);
            },
            map,
            configure,
            kestrel: true,
            before: before);

    private static bool Allows(HttpResponseMessage response, string origin) =>
        response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) && values.Contains(origin);

    private static Task<HttpResponseMessage> Send(TestApp app, HttpMethod method, string path, string? origin, string? body = null, string? contentType = null, params (string, string)[] headers)
    {
        var request = new HttpRequestMessage(method, path);
        if (origin is not null)
        {
            request.Headers.TryAddWithoutValidation("Origin", origin);
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body);
            request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType ?? "text/plain");
        }

        return app.Client.SendAsync(request);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Preflight routing: paths that CorsKit leaves to routing "as it is"
    // ---------------------------------------------------------------------------------------------------------------

    /// <summary>Guarantee: a preflight gets the policy of the endpoint its actual request reaches, and never runs an endpoint; also in an app with an MVC SPA fallback (MapFallbackToController, a dynamic endpoint present on every path).</summary>
    [Fact]
    public async Task Preflight_AppWithMapFallbackToController_GetsTheEndpointsPolicyAndNoEndpointRuns()
    {
        SpaController.Runs = 0;
        var runs = 0;
        await using var app = await StartAsync(
            a =>
            {
                a.MapPut("/strict", () => Interlocked.Increment(ref runs)).WithCors("strict");
                a.MapFallbackToController("Index", "Spa");
            },
            b => b.Services.AddControllersOnly(typeof(SpaController)));

        var lenient = await app.PreflightAsync("/strict", Lenient, "PUT");
        var strict = await app.PreflightAsync("/strict", Strict, "PUT");

        Assert.Equal(0, SpaController.Runs);
        Assert.Equal(0, runs);
        Assert.Equal(204, (int)lenient.StatusCode);
        CorsAssert.Headers(lenient, RefusedOnlyVary);
        CorsAssert.Headers(strict, StrictPut);
    }

    /// <summary>Guarantee as above, when the app's SPA fallback (a catch-all, present on every path) has a policy that passes preflights to the endpoint.</summary>
    [Fact]
    public async Task Preflight_FallbackWithPassthroughPolicy_DoesNotHandOtherPathsPreflightsToTheFallback()
    {
        var runs = 0;
        var fallbackRuns = 0;
        await using var app = await StartAsync(
            a =>
            {
                a.MapPut("/strict", () => Interlocked.Increment(ref runs)).WithCors("strict");
                a.MapFallback(context =>
                {
                    Interlocked.Increment(ref fallbackRuns);
                    return context.Response.WriteAsync("spa");
                }).WithCors("pass");
            },
            more: o => o.AddPolicy("pass", p => p.WithOrigins(Lenient).WithMethods("PUT").PassPreflightToEndpoint()));

        var lenient = await app.PreflightAsync("/strict", Lenient, "PUT");
        var strict = await app.PreflightAsync("/strict", Strict, "PUT");

        Assert.Equal(0, runs);
        CorsAssert.Headers(lenient, RefusedOnlyVary);
        CorsAssert.Headers(strict, StrictPut);
    }

    /// <summary>Guarantee as above, with a passthrough catch-all in a route group overlapping a strict endpoint.</summary>
    [Fact]
    public async Task Preflight_GroupCatchAllWithPassthroughPolicy_StrictSiblingKeepsItsPolicy()
    {
        var runs = 0;
        var catchAllRuns = 0;
        await using var app = await StartAsync(
            a =>
            {
                var api = a.MapGroup("/api");
                api.MapPut("/admin", () => Interlocked.Increment(ref runs)).WithCors("strict");
                api.MapMethods("/{**rest}", ["GET", "OPTIONS"], (HttpContext c) => Interlocked.Increment(ref catchAllRuns)).WithCors("pass");
            },
            more: o => o.AddPolicy("pass", p => p.WithOrigins(Lenient).WithMethods("PUT").PassPreflightToEndpoint()));

        var lenient = await app.PreflightAsync("/api/admin", Lenient, "PUT");
        var strict = await app.PreflightAsync("/api/admin", Strict, "PUT");

        Assert.Equal(0, runs);
        CorsAssert.Headers(lenient, RefusedOnlyVary);
        CorsAssert.Headers(strict, StrictPut);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Preflight routing: what the actual request carries and the preflight does not
    // ---------------------------------------------------------------------------------------------------------------

    /// <summary>
    /// Guarantee: a preflight granted to an origin means the endpoint the actual request reaches grants it too. Here the
    /// literal endpoint takes JSON only; an actual PUT with another content type falls through to the strict parameter route.
    /// </summary>
    [Fact]
    public async Task Preflight_BetterRouteRestrictedByContentType_ActualRequestFallsToStrictRoute()
    {
        var special = 0;
        var strictRuns = 0;
        await using var app = await StartAsync(a =>
        {
            a.MapPut("/items/special", (Item item) => Interlocked.Increment(ref special));
            a.MapPut("/items/{name}", (string name) => Interlocked.Increment(ref strictRuns)).WithCors("strict");
        });

        var preflight = await app.PreflightAsync("/items/special", Lenient, "PUT", "content-type");
        var actual = await Send(app, HttpMethod.Put, "/items/special", Lenient, "delete everything", "text/plain");

        Assert.False(Allows(preflight, Lenient) && strictRuns > 0, "the lenient origin's preflight was granted and its actual request ran the strict endpoint");
    }

    /// <summary>Guarantee: a policy provider sees a preflight as it sees the actual request (its docs: "routing has run, so its endpoint and route values are known").</summary>
    [Fact]
    public async Task Preflight_ProviderReadingEndpointMetadata_SeesTheEndpointNotItsTwin()
    {
        var strictPolicy = new CorsPolicyBuilder("internal").WithOrigins(Strict).WithMethods("PUT", "DELETE").Build();
        var lenientPolicy = new CorsPolicyBuilder("public").WithOrigins(Lenient).WithMethods("PUT", "DELETE").Build();
        var runs = 0;
        await using var app = await StartAsync(
            a => a.MapPut("/admin", () => Interlocked.Increment(ref runs)).WithCors("by-metadata").WithMetadata(new InternalApi()),
            more: o => o.AddPolicyProvider("by-metadata", (context, _) =>
                ValueTask.FromResult<CorsPolicy?>(context.GetEndpoint()?.Metadata.GetMetadata<InternalApi>() is null ? lenientPolicy : strictPolicy)));

        var preflight = await app.PreflightAsync("/admin", Lenient, "PUT");
        var actual = await Send(app, HttpMethod.Put, "/admin", Lenient);

        CorsAssert.Headers(actual, RefusedOnlyVary);
        CorsAssert.Headers(preflight, RefusedOnlyVary);
    }

    /// <summary>Guarantee: a preflight gets the policy of the path's endpoint, also when a middleware before routing answers every OPTIONS itself (the legacy "answer preflights with 200" snippet).</summary>
    [Fact]
    public async Task Preflight_OptionsAnsweredBeforeRouting_GetsTheEndpointsPolicyNotTheDefault()
    {
        var runs = 0;
        await using var app = await StartAsync(a =>
        {
            a.Use((context, next) =>
            {
                if (HttpMethods.IsOptions(context.Request.Method))
                {
                    context.Response.StatusCode = 200;
                    return Task.CompletedTask;
                }

                return next(context);
            });
            a.UseRouting();
            a.MapPut("/strict", () => Interlocked.Increment(ref runs)).WithCors("strict");
        });

        var preflight = await app.PreflightAsync("/strict", Lenient, "PUT");
        var actual = await Send(app, HttpMethod.Put, "/strict", Lenient);

        Assert.False(Allows(preflight, Lenient) && runs > 0, "the lenient origin's preflight was granted and its actual PUT ran the strict endpoint");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Last word
    // ---------------------------------------------------------------------------------------------------------------

    /// <summary>Guarantee: CorsKit "always runs outermost"; an Access-Control-* header set by a middleware a startup filter registered before AddCorsKit installs, in its OnStarting callback, is still removed.</summary>
    [Fact]
    public async Task LastWord_OnStartingOfAnOuterStartupFilter_HeaderRemoved()
    {
        await using var app = await StartAsync(
            a => a.MapGet("/data", () => "secret"),
            before: b => b.Services.Insert(0, ServiceDescriptor.Transient<IStartupFilter, ReflectingStartupFilter>()));

        var response = await app.GetAsync("/data", "https://evil.example");

        CorsAssert.Headers(response, RefusedOnlyVary);
    }

    /// <summary>Guarantee: an OnStarting callback registered by the endpoint from inside another OnStarting callback cannot set Access-Control-* after CorsKit.</summary>
    [Fact]
    public async Task LastWord_OnStartingRegisteredInsideOnStarting_HeaderRemovedOrNeverSet()
    {
        await using var app = await StartAsync(a => a.MapGet("/data", (HttpContext context) =>
        {
            context.Response.OnStarting(() =>
            {
                try
                {
                    context.Response.OnStarting(() =>
                    {
                        context.Response.Headers.AccessControlAllowOrigin = "https://evil.example";
                        context.Response.Headers.AccessControlAllowCredentials = "true";
                        return Task.CompletedTask;
                    });
                }
                catch (InvalidOperationException)
                {
                }

                return Task.CompletedTask;
            });
            return "secret";
        }));

        var response = await app.GetAsync("/data", "https://evil.example");

        CorsAssert.Headers(response, RefusedOnlyVary);
    }

    /// <summary>Guarantee: an Access-Control-* header an endpoint sets lower-cased, appended, with several values, or in a late OnStarting, is removed for a refused origin.</summary>
    [Theory]
    [InlineData("lower")]
    [InlineData("append")]
    [InlineData("several")]
    [InlineData("onstarting")]
    [InlineData("both-headers")]
    public async Task LastWord_HeaderSpellings_AllRemoved(string how)
    {
        await using var app = await StartAsync(a => a.MapGet("/data", (HttpContext context) =>
        {
            var headers = context.Response.Headers;
            switch (how)
            {
                case "lower":
                    headers["access-control-allow-origin"] = "https://evil.example";
                    headers["access-control-allow-credentials"] = "true";
                    break;
                case "append":
                    headers.Append("Access-Control-Allow-Origin", "https://evil.example");
                    headers.Append("Access-Control-Expose-Headers", "X-Secret");
                    break;
                case "several":
                    headers.AccessControlAllowOrigin = new(["https://evil.example", Lenient]);
                    break;
                case "onstarting":
                    context.Response.OnStarting(() =>
                    {
                        headers.AccessControlAllowOrigin = "https://evil.example";
                        return Task.CompletedTask;
                    });
                    break;
                case "both-headers":
                    headers["Access-Control-Allow-Origin"] = "https://evil.example";
                    headers["ACCESS-CONTROL-ALLOW-ORIGIN"] = "*";
                    break;
            }

            return "secret";
        }));

        var refused = await app.GetAsync("/data", "https://evil.example");
        var allowed = await app.GetAsync("/data", Lenient);

        CorsAssert.Headers(refused, RefusedOnlyVary);
        CorsAssert.Headers(allowed, ("Access-Control-Allow-Origin", Lenient), ("Vary", "Origin"));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Neighbours of the tested routing cases: these held
    // ---------------------------------------------------------------------------------------------------------------

    /// <summary>Guarantee: endpoints told apart by host get their own policy on a preflight, as the actual request.</summary>
    [Fact]
    public async Task Preflight_RequireHostOnDifferentHosts_EachHostItsPolicy()
    {
        var runs = 0;
        await using var app = await StartAsync(a =>
        {
            a.MapPut("/h", () => Interlocked.Increment(ref runs)).RequireHost("admin.example").WithCors("strict");
            a.MapPut("/h", () => Interlocked.Increment(ref runs)).RequireHost("www.example");
        });

        var adminLenient = await Send(app, HttpMethod.Options, "/h", Lenient, headers: [("Access-Control-Request-Method", "PUT"), ("Host", "admin.example")]);
        var adminStrict = await Send(app, HttpMethod.Options, "/h", Strict, headers: [("Access-Control-Request-Method", "PUT"), ("Host", "admin.example")]);
        var wwwLenient = await Send(app, HttpMethod.Options, "/h", Lenient, headers: [("Access-Control-Request-Method", "PUT"), ("Host", "www.example")]);
        var otherHost = await Send(app, HttpMethod.Options, "/h", Lenient, headers: [("Access-Control-Request-Method", "PUT"), ("Host", "ADMIN.example:8080")]);

        CorsAssert.Headers(adminLenient, RefusedOnlyVary);
        CorsAssert.Headers(adminStrict, StrictPut);
        CorsAssert.Headers(wwwLenient, ("Access-Control-Allow-Origin", Lenient), ("Access-Control-Allow-Methods", "PUT,POST,DELETE,PATCH"), ("Vary", "Origin"));
        CorsAssert.Headers(otherHost, RefusedOnlyVary);
        Assert.Equal(0, runs);
    }

    /// <summary>Guarantee: for every spelling of a path, the preflight gets the policy of the endpoint the actual PUT reaches.</summary>
    [Theory]
    [InlineData("/strict")]
    [InlineData("/STRICT")]
    [InlineData("/strict/")]
    [InlineData("//strict")]
    [InlineData("/%73trict")]
    [InlineData("/strict%2F")]
    [InlineData("/strict/.")]
    [InlineData("/x/../strict")]
    [InlineData("/strict;x")]
    [InlineData("/strict?x=1")]
    public async Task Preflight_PathSpellings_PolicyOfTheEndpointTheActualRequestReaches(string path)
    {
        var preflightRuns = 0;
        await using var app = await StartAsync(a =>
        {
            a.Use((context, next) =>
            {
                if (HttpMethods.IsOptions(context.Request.Method) && context.GetEndpoint() is not null)
                {
                    Interlocked.Increment(ref preflightRuns);
                }

                return next(context);
            });
            a.MapPut("/strict", () => "strict").WithCors("strict");
            a.MapPut("/{**rest}", () => "lenient");
        });

        var url = app.Client.BaseAddress!.ToString().TrimEnd('/') + path;
        var actual = await Send(app, HttpMethod.Put, url, Strict);
        var reached = await actual.Content.ReadAsStringAsync();
        var preflight = await app.PreflightAsync(url, Lenient, "PUT");

        Assert.Equal(reached == "strict", !Allows(preflight, Lenient));
        Assert.Equal(204, (int)preflight.StatusCode);
    }

    /// <summary>Guarantee: MapMethods with several methods and a sibling for another method: each announced method gets its endpoint's policy.</summary>
    [Fact]
    public async Task Preflight_MapMethodsSeveralMethods_EachMethodItsEndpointsPolicy()
    {
        var runs = 0;
        await using var app = await StartAsync(a =>
        {
            a.MapMethods("/m", ["PUT", "PATCH", "PROPFIND"], () => Interlocked.Increment(ref runs)).WithCors("strict");
            a.MapDelete("/m", () => Interlocked.Increment(ref runs));
            a.MapMethods("/m", ["OPTIONS"], () => Interlocked.Increment(ref runs)).WithoutCors();
        });

        var patch = await app.PreflightAsync("/m", Lenient, "PATCH");
        var propfind = await app.PreflightAsync("/m", Lenient, "PROPFIND");
        var lowerPatch = await app.PreflightAsync("/m", Lenient, "patch");
        var delete = await app.PreflightAsync("/m", Lenient, "DELETE");
        var options = await app.PreflightAsync("/m", Lenient, "OPTIONS");

        CorsAssert.Headers(patch, RefusedOnlyVary);
        CorsAssert.Headers(propfind, RefusedOnlyVary);
        CorsAssert.Headers(lowerPatch, RefusedOnlyVary);
        CorsAssert.Headers(delete, ("Access-Control-Allow-Origin", Lenient), ("Access-Control-Allow-Methods", "PUT,POST,DELETE,PATCH"), ("Vary", "Origin"));
        CorsAssert.Headers(options);
        Assert.Equal(0, runs);

        // A plain OPTIONS (no Access-Control-Request-Method) is not a preflight: it reaches the OPTIONS endpoint.
        var plain = await Send(app, HttpMethod.Options, "/m", Lenient);
        Assert.Equal(1, runs);
        CorsAssert.Headers(plain);
    }

    /// <summary>Guarantee: a repeated or padded Access-Control-Request-Method is never granted by a lenient catch-all.</summary>
    [Theory]
    [InlineData("PUT", "DELETE")]
    [InlineData("PUT", "PUT")]
    [InlineData("PUT, DELETE", null)]
    [InlineData(" PUT ", null)]
    public async Task Preflight_OddRequestMethodHeader_NeverGrantedByTheCatchAll(string first, string? second)
    {
        var runs = 0;
        await using var app = await StartAsync(a =>
        {
            a.MapPut("/strict", () => Interlocked.Increment(ref runs)).WithCors("strict");
            a.MapFallback(() => Interlocked.Increment(ref runs));
        });

        var request = new HttpRequestMessage(HttpMethod.Options, "/strict");
        request.Headers.TryAddWithoutValidation("Origin", Lenient);
        request.Headers.TryAddWithoutValidation("Access-Control-Request-Method", first);
        if (second is not null)
        {
            request.Headers.TryAddWithoutValidation("Access-Control-Request-Method", second);
        }

        var response = await app.Client.SendAsync(request);

        Assert.False(Allows(response, Lenient));
        Assert.Equal(0, runs);
    }

    /// <summary>Guarantee: [DisableCors] on an action beats [EnableCors("strict")] on its controller; a [WithCors] action under a [DisableCors] controller gets its policy; no action runs for a preflight.</summary>
    [Fact]
    public async Task Preflight_ControllerPolicyActionOptOut_MostSpecificWinsAndNoActionRuns()
    {
        MixedController.Runs = 0;
        await using var app = await StartAsync(a => a.MapControllers(), b => b.Services.AddControllersOnly(typeof(MixedController), typeof(DisabledController)));

        var disabled = await app.PreflightAsync("/mixed/off", Strict, "PUT");
        var enabled = await app.PreflightAsync("/mixed/on", Strict, "PUT");
        var enabledLenient = await app.PreflightAsync("/mixed/on", Lenient, "PUT");
        var reEnabled = await app.PreflightAsync("/disabled/on", Strict, "DELETE");
        var stillOff = await app.PreflightAsync("/disabled/off", Lenient, "PUT");
        var actualOff = await Send(app, HttpMethod.Put, "/mixed/off", Strict);

        Assert.Equal(204, (int)disabled.StatusCode);
        CorsAssert.Headers(disabled);
        CorsAssert.Headers(enabled, StrictPut);
        CorsAssert.Headers(enabledLenient, RefusedOnlyVary);
        CorsAssert.Headers(reEnabled, StrictPut);
        CorsAssert.Headers(stillOff);
        Assert.Equal(1, MixedController.Runs);
        CorsAssert.Headers(actualOff);
    }

    /// <summary>Guarantee: an app-wide or endpoint hook that throws on a preflight neither runs the endpoint nor widens the answer.</summary>
    [Fact]
    public async Task Preflight_ThrowingHooks_StillThePolicysAnswer()
    {
        var runs = 0;
        await using var app = await StartAsync(a =>
        {
            a.AfterRequest(context =>
            {
                context.Response.Headers.AccessControlAllowOrigin = "*";
                throw new InvalidOperationException("app hook\r\nfake log line");
            });
            a.MapPut("/strict", () => Interlocked.Increment(ref runs)).WithCors("strict").AfterRequest(_ => throw new InvalidOperationException("endpoint hook"));
        });

        var lenient = await app.PreflightAsync("/strict", Lenient, "PUT");
        var strict = await app.PreflightAsync("/strict", Strict, "PUT");

        Assert.Equal(204, (int)lenient.StatusCode);
        CorsAssert.Headers(lenient, RefusedOnlyVary);
        CorsAssert.Headers(strict, StrictPut);
        Assert.Equal(0, runs);
        Assert.DoesNotContain(app.Logs.Entries, e => e.Category.StartsWith("CorsKit", StringComparison.Ordinal) && e.Message.Contains("\nfake log line", StringComparison.Ordinal));
    }

    private static Task<TestApp> StartTenantAppAsync(Action<WebApplication> map)
    {
        var tenantPolicy = new CorsPolicyBuilder("tenant-a").WithOrigins(Strict).WithMethods("PUT").Build();
        return StartAsync(map, more: o => o.AddPolicyProvider("tenants", (context, _) =>
            ValueTask.FromResult(context.Request.RouteValues["tenant"] as string == "a" ? tenantPolicy : null)));
    }

    /// <summary>Guarantee: a provider that reads route values on a preflight sees the values the actual request has (also for the preflight of a method the path refuses), and no endpoint runs.</summary>
    [Fact]
    public async Task Preflight_ProviderReadsRouteValues_SeesTheActualRequestsValues()
    {
        var runs = 0;
        await using var app = await StartTenantAppAsync(a =>
        {
            a.MapPut("/t/{tenant}/items", () => Interlocked.Increment(ref runs)).WithCors("tenants");
            a.MapGet("/t/{tenant}/items", () => Interlocked.Increment(ref runs)).WithCors("tenants");
        });

        var a = await app.PreflightAsync("/t/a/items", Strict, "PUT");
        var b = await app.PreflightAsync("/t/b/items", Strict, "PUT");
        var a405 = await app.PreflightAsync("/t/a/items", Strict, "DELETE");

        CorsAssert.Headers(a, ("Access-Control-Allow-Origin", Strict), ("Access-Control-Allow-Methods", "PUT"), ("Vary", "Origin"));
        CorsAssert.Headers(b);
        CorsAssert.Headers(a405, ("Access-Control-Allow-Origin", Strict), ("Access-Control-Allow-Methods", "PUT"), ("Vary", "Origin"));
        Assert.Equal(0, runs);
    }

    /// <summary>Guarantee: with a provider that hangs, preflights fail closed within the budget and the bound (no CORS headers, 204), and no endpoint runs.</summary>
    [Fact]
    public async Task Preflight_ProviderHangs_ManyConcurrentPreflightsFailClosedInBoundedTime()
    {
        using var release = new ManualResetEventSlim();
        var runs = 0;
        var calls = 0;
        await using var app = await StartAsync(
            a => a.MapPut("/slow", () => Interlocked.Increment(ref runs)).WithCors("slow"),
            more: o =>
            {
                o.MaxUserCodeCallsInFlight = 2;
                o.AddPolicyProvider(
                    "slow",
                    (_, _) =>
                    {
                        Interlocked.Increment(ref calls);
                        release.Wait(TimeSpan.FromSeconds(10), CancellationToken.None);
                        return ValueTask.FromResult<CorsPolicy?>(new CorsPolicyBuilder("x").WithOrigins(Lenient).WithMethods("PUT").Build());
                    },
                    TimeSpan.FromMilliseconds(300));
            });

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => app.PreflightAsync("/slow", Lenient, "PUT")));
        var elapsed = clock.Elapsed;
        release.Set();

        Assert.True(elapsed < TimeSpan.FromSeconds(3), $"took {elapsed}");
        Assert.All(responses, r =>
        {
            Assert.Equal(204, (int)r.StatusCode);
            CorsAssert.Headers(r, RefusedOnlyVary);
        });
        Assert.True(Volatile.Read(ref calls) <= 2, $"calls {calls}");
        Assert.Equal(0, runs);
    }

    /// <summary>Observation (PassPreflightToEndpoint): does a passthrough preflight run a state-changing MapPut handler?</summary>
    [Fact]
    public async Task Preflight_PassthroughPolicy_StateChangingPutHandlerDoesNotRunForOptions()
    {
        var runs = 0;
        await using var app = await StartAsync(
            a => a.MapPut("/pass", () => Interlocked.Increment(ref runs)).WithCors("pass"),
            more: o => o.AddPolicy("pass", p => p.WithOrigins(Lenient).WithMethods("PUT").PassPreflightToEndpoint()));

        var preflight = await app.PreflightAsync("/pass", Lenient, "PUT");

        Assert.Equal(0, runs);
    }

    /// <summary>Guarantee: a 405 gets the path's policy; also on a path whose policy passes preflights to the endpoint (routing as it is).</summary>
    [Fact]
    public async Task MethodNotAllowed_PassthroughPath_GetsThePathsPolicyNotTheDefault()
    {
        await using var app = await StartAsync(
            a => a.MapPut("/pass", () => "put").WithCors("pass"),
            more: o => o.AddPolicy("pass", p => p.WithOrigins(Strict).WithMethods("PUT").PassPreflightToEndpoint()));

        var delete = await Send(app, HttpMethod.Delete, "/pass", Lenient);
        var preflight = await app.PreflightAsync("/pass", Lenient, "PUT");

        Assert.Equal(405, (int)delete.StatusCode);
        CorsAssert.Headers(delete, RefusedOnlyVary);
        CorsAssert.Headers(preflight, RefusedOnlyVary);
    }

    /// <summary>Guarantee: Build() refuses an origin regex that lets in a site the developer did not name (any host, a public suffix, a lookalike), or the built policy refuses that site.</summary>
    [Theory]
    [InlineData(@"https://[a-z]+\.com", "https://attacker.com")]
    [InlineData(@"https://[a-z0-9-]+\.github\.io", "https://attacker.github.io")]
    [InlineData(@"https://[\w-]+\.[\w-]+", "https://attacker.net")]
    [InlineData(@"https://.*example\.com", "https://attackerexample.com")]
    [InlineData(@"https://[^/]+example\.com", "https://attackerexample.com")]
    [InlineData(@"https://[a-z]*example\.com", "https://attackerexample.com")]
    [InlineData(@"https://app\.example\.com(:\d+)?|https://.+", "https://attacker.net")]
    [InlineData(@"https://app\.example\.com))|(?:(?:https://x\.example\.com", "https://app.example.com.attacker.net")]
    [InlineData(@"https://app\.example\.com(?#)", "https://app.example.com.attacker.net")]
    [InlineData(@"(?i)https://app\.example\.com.*", "https://app.example.com.attacker.net")]
    [InlineData(@"HTTPS://APP\.EXAMPLE\.COM.*", "https://app.example.com.attacker.net")]
    public void OriginRegex_LetsInAnUnnamedSite_RefusedByBuildOrNotAllowed(string pattern, string attacker) => AssertRegexRefusesAttacker(pattern, attacker);

    /// <summary>Same guarantee: these patterns are built and let the attacker in (see the Skip reason).</summary>
    [Theory]
    [InlineData(@"https://app[.-]example\.com", "https://app-example.com")]
    [InlineData(@"https://app[^a-z]example\.com", "https://app-example.com")]
    [InlineData(@"(?i)HTTPS://APP\.EXAMPLE\.COM.*", "https://app.example.com.attacker.net")]
    [InlineData(@"https://app\Wexample\.com", "https://app-example.com")]
    [InlineData(@"https://(www\.)?example\.[a-z]+", "https://example.attacker")]
    public void OriginRegex_BuiltAndLetsInAnUnnamedSite(string pattern, string attacker) => AssertRegexRefusesAttacker(pattern, attacker);

    private static void AssertRegexRefusesAttacker(string pattern, string attacker)
    {
        CorsPolicy policy;
        try
        {
            policy = new CorsPolicyBuilder("regex").WithOriginRegex(pattern).Build();
        }
        catch (CorsPolicyException)
        {
            return;
        }
        catch (ArgumentException)
        {
            return;
        }

        var decision = CorsKit.Evaluation.CorsEvaluator.Evaluate(policy, new CorsKit.Evaluation.CorsRequest("GET", attacker));
        Assert.Null(decision.AllowOrigin);
    }

    /// <summary>Guarantee: a 405 gets the policy of the path it was sent to, also when status code pages re-execute it on an error path that answers 405 too.</summary>
    [Fact]
    public async Task MethodNotAllowed_ReExecutedOnAnErrorPathThatAlso405s_KeepsTheOriginalPathsPolicy()
    {
        await using var app = await StartAsync(a =>
        {
            a.UseStatusCodePagesWithReExecute("/status/{0}");
            a.UseRouting();
            a.MapGet("/status/{code}", (int code) => $"status {code}");
            a.MapGet("/only-get", () => "got").WithCors("strict");
        });

        var delete = await Send(app, HttpMethod.Delete, "/only-get", Lenient);

        Assert.Equal(405, (int)delete.StatusCode);
        CorsAssert.Headers(delete, RefusedOnlyVary);
    }

    /// <summary>
    /// Guarantee: Build() refuses insecure policies (any origin with credentials, public-suffix wildcards); a policy given
    /// in Microsoft's form (RequireCors(p => ...)) is converted to a CorsKit policy and must not escape those checks.
    /// </summary>
    [Theory]
    [InlineData("any-with-credentials", "https://attacker.example")]
    [InlineData("public-suffix-wildcard", "https://attacker.co.uk")]
    public async Task MicrosoftRequireCorsPolicy_InsecureShape_RefusedLikeACorsKitPolicy(string shape, string attacker)
    {
        TestApp app;
        try
        {
            app = await StartAsync(a =>
            {
                var endpoint = a.MapGet("/account", () => "account data");
                if (shape == "any-with-credentials")
                {
                    endpoint.RequireCors(p => p.SetIsOriginAllowed(_ => true).AllowCredentials());
                }
                else
                {
                    endpoint.RequireCors(p => p.WithOrigins("https://*.co.uk").SetIsOriginAllowedToAllowWildcardSubdomains().AllowCredentials());
                }
            });
        }
        catch (CorsPolicyException)
        {
            return;
        }

        await using (app)
        {
            var response = await app.GetAsync("/account", attacker);

            Assert.False(Allows(response, attacker), "the attacker's origin got a credentialed CORS grant");
        }
    }

    /// <summary>Guarantee: the preflight of a method a path refuses gets the path's policy, as the actual request's 405 does; also on a host other than the first endpoint's.</summary>
    [Fact]
    public async Task MethodNotAllowed_EndpointsOnTwoHostsShareAPolicy_PreflightOnTheSecondHostGetsIt()
    {
        await using var app = await StartAsync(a =>
        {
            a.MapGet("/h", () => "a").RequireHost("a.example").WithCors("strict");
            a.MapGet("/h", () => "b").RequireHost("b.example").WithCors("strict");
        });

        var preflight = await Send(app, HttpMethod.Options, "/h", Lenient, headers: [("Access-Control-Request-Method", "DELETE"), ("Host", "b.example")]);
        var actual = await Send(app, HttpMethod.Delete, "/h", Lenient, headers: ("Host", "b.example"));

        Assert.Equal(405, (int)actual.StatusCode);
        CorsAssert.Headers(actual, RefusedOnlyVary);
        CorsAssert.Headers(preflight, RefusedOnlyVary);
    }

    /// <summary>Guarantee: AllowAnyOrigin() without credentials sends * on every response (Origin or not, 404 too), never on a WithoutCors endpoint, and an app-set Allow-Credentials never joins it.</summary>
    [Fact]
    public async Task AnyOrigin_Neighbours_StarEverywhereButOptOutsAndNeverWithCredentials()
    {
        await using var app = await TestApp.StartAsync(
            o => o.AddDefaultPolicy(p => p.AllowAnyOrigin().WithMethods("PUT")),
            a =>
            {
                a.MapGet("/public", (HttpResponse r) =>
                {
                    r.Headers.AccessControlAllowCredentials = "true";
                    r.Headers.AccessControlAllowOrigin = "https://evil.example";
                    return "public";
                });
                a.MapGet("/internal", () => "internal").WithoutCors();
                a.MapPut("/internal", () => "internal").WithoutCors();
            },
            kestrel: true);

        var withOrigin = await app.GetAsync("/public", "https://evil.example");
        var noOrigin = await app.GetAsync("/public", null);
        var missing = await app.GetAsync("/missing", null);
        var optedOut = await app.GetAsync("/internal", "https://evil.example");
        var optedOutPreflight = await app.PreflightAsync("/internal", "https://evil.example", "PUT");

        CorsAssert.Headers(withOrigin, ("Access-Control-Allow-Origin", "*"));
        CorsAssert.Headers(noOrigin, ("Access-Control-Allow-Origin", "*"));
        CorsAssert.Headers(missing, ("Access-Control-Allow-Origin", "*"));
        CorsAssert.Headers(optedOut);
        Assert.Equal(204, (int)optedOutPreflight.StatusCode);
        CorsAssert.Headers(optedOutPreflight);
    }

    public sealed record Item(string Name);

    private sealed class InternalApi;

    private sealed class ReflectingStartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Response.OnStarting(() =>
                {
                    if (context.Request.Headers.Origin.Count > 0)
                    {
                        context.Response.Headers.AccessControlAllowOrigin = context.Request.Headers.Origin.ToString();
                        context.Response.Headers.AccessControlAllowCredentials = "true";
                    }

                    return Task.CompletedTask;
                });
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}

public sealed class SpaController : Controller
{
    private static int _runs;

    public static int Runs
    {
        get => Volatile.Read(ref _runs);
        set => Volatile.Write(ref _runs, value);
    }

    public IActionResult Index()
    {
        Interlocked.Increment(ref _runs);
        return Content("<html>spa</html>", "text/html");
    }
}

[ApiController]
[Route("mixed")]
[EnableCors("strict")]
public sealed class MixedController : ControllerBase
{
    private static int _runs;

    public static int Runs
    {
        get => Volatile.Read(ref _runs);
        set => Volatile.Write(ref _runs, value);
    }

    [HttpPut("off")]
    [DisableCors]
    public int Off() => Interlocked.Increment(ref _runs);

    [HttpPut("on")]
    public int On() => Interlocked.Increment(ref _runs);
}

[ApiController]
[Route("disabled")]
[DisableCors]
public sealed class DisabledController : ControllerBase
{
    [HttpDelete("on")]
    [WithCors("strict")]
    public int On() => Interlocked.Increment(ref MixedControllerCounter.Value);

    [HttpPut("off")]
    public int Off() => Interlocked.Increment(ref MixedControllerCounter.Value);
}

internal static class MixedControllerCounter
{
    public static int Value;
}

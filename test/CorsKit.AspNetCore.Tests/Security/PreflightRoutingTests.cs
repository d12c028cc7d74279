using CorsKit.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Cors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace CorsKit.AspNetCore.Tests.Security;

/// <summary>
/// A preflight gets exactly the policy of the request it announces, and never runs an endpoint, on Kestrel: the
/// neighbours of the cases the composition matrix covers.
/// </summary>
public sealed class PreflightRoutingTests
{
    private const string Strict = "https://strict.example";
    private const string Lenient = "https://lenient.example";

    private static Task<TestApp> StartAsync(Action<WebApplication> map, Action<WebApplicationBuilder>? configure = null) =>
        TestApp.StartAsync(
            o =>
            {
                o.AddDefaultPolicy(p => p.WithOrigins(Lenient).WithMethods("PUT", "DELETE"));
                o.AddPolicy("strict", p => p.WithOrigins(Strict).WithMethods("PUT"));
            },
            map,
            configure,
            kestrel: true);

    [Theory]
    [InlineData("/mvc/disabled")]
    [InlineData("/mvc/without")]
    [InlineData("/minimal/without")]
    [InlineData("/minimal/disabled")]
    public async Task Preflight_EndpointWithCorsOff_204WithoutCorsHeadersAndTheEndpointNeverRuns(string path)
    {
        StateChangingController.Runs = 0;
        var runs = 0;
        await using var app = await StartAsync(
            a =>
            {
                a.MapControllers();
                a.MapPut("/minimal/without", () => ++runs).WithoutCors();
                a.MapPut("/minimal/disabled", [DisableCors] () => ++runs);
            },
            b => b.Services.AddControllersOnly(typeof(StateChangingController)));

        var response = await app.PreflightAsync(path, Lenient, "PUT");

        Assert.Equal(204, (int)response.StatusCode);
        Assert.Equal(string.Empty, await response.Content.ReadAsStringAsync());
        CorsAssert.Headers(response);
        Assert.Equal(0, StateChangingController.Runs);
        Assert.Equal(0, runs);
    }

    [Fact]
    public async Task Preflight_MvcActionWithItsOwnPolicy_GetsThatPolicyAndTheActionNeverRuns()
    {
        StateChangingController.Runs = 0;
        await using var app = await StartAsync(a => a.MapControllers(), b => b.Services.AddControllersOnly(typeof(StateChangingController)));

        var allowed = await app.PreflightAsync("/mvc/strict", Strict, "PUT");
        var refused = await app.PreflightAsync("/mvc/strict", Lenient, "PUT");

        CorsAssert.Headers(allowed, ("Access-Control-Allow-Origin", Strict), ("Access-Control-Allow-Methods", "PUT"), ("Vary", "Origin"));
        CorsAssert.Headers(refused, ("Vary", "Origin"));
        Assert.Equal(0, StateChangingController.Runs);
    }

    [Fact]
    public async Task MethodNotAllowed_PreflightAndActualRequestGetThePathsPolicyNotTheDefault()
    {
        await using var app = await StartAsync(a => a.MapGet("/only-get", () => "got").WithCors("strict"));

        var preflight = await app.PreflightAsync("/only-get", Strict, "DELETE");
        var refusedPreflight = await app.PreflightAsync("/only-get", Lenient, "DELETE");
        var delete = await app.SendAsync(HttpMethod.Delete, "/only-get", Strict);
        var head = await app.SendAsync(HttpMethod.Head, "/only-get", Strict);
        var lenientDelete = await app.SendAsync(HttpMethod.Delete, "/only-get", Lenient);

        // The strict policy allows the origin, not DELETE: its own lists, so the browser names the method.
        CorsAssert.Headers(preflight, ("Access-Control-Allow-Origin", Strict), ("Access-Control-Allow-Methods", "PUT"), ("Vary", "Origin"));
        CorsAssert.Headers(refusedPreflight, ("Vary", "Origin"));
        Assert.Equal(405, (int)delete.StatusCode);
        Assert.Equal("GET", delete.Content.Headers.Allow.Single());
        CorsAssert.Headers(delete, ("Access-Control-Allow-Origin", Strict), ("Vary", "Origin"));
        Assert.Equal(405, (int)head.StatusCode);
        CorsAssert.Headers(head, ("Access-Control-Allow-Origin", Strict), ("Vary", "Origin"));
        Assert.Equal(405, (int)lenientDelete.StatusCode);
        CorsAssert.Headers(lenientDelete, ("Vary", "Origin"));
    }

    [Fact]
    public async Task MethodNotAllowed_PathsEndpointsDisagree_NoCorsRatherThanAGuess()
    {
        await using var app = await StartAsync(a =>
        {
            a.MapGet("/mixed", () => "got").WithCors("strict");
            a.MapPut("/mixed", () => "put");
        });

        var preflight = await app.PreflightAsync("/mixed", Lenient, "DELETE");
        var delete = await app.SendAsync(HttpMethod.Delete, "/mixed", Lenient);

        Assert.Equal(204, (int)preflight.StatusCode);
        CorsAssert.Headers(preflight);
        Assert.Equal(405, (int)delete.StatusCode);
        CorsAssert.Headers(delete);
    }

    [Fact]
    public async Task Preflight_EndpointsTellApartOnlyByContentType_AnsweredOnlyWhenTheirPoliciesAgree()
    {
        var runs = 0;
        await using var app = await StartAsync(a =>
        {
            a.MapPut("/by-type", (HttpRequest _) => ++runs).Accepts<string>("application/json").WithCors("strict");
            a.MapPut("/by-type", (HttpRequest _) => ++runs).Accepts<string>("text/plain");
            a.MapPut("/same", (HttpRequest _) => ++runs).Accepts<string>("application/json").WithCors("strict");
            a.MapPut("/same", (HttpRequest _) => ++runs).Accepts<string>("text/plain").WithCors("strict");
        });

        var disagree = await app.PreflightAsync("/by-type", Lenient, "PUT");
        var agree = await app.PreflightAsync("/same", Strict, "PUT");

        // The browser's actual request may carry either content type: a preflight granted by the lenient endpoint would
        // let the strict one run for the lenient origin.
        Assert.Equal(204, (int)disagree.StatusCode);
        CorsAssert.Headers(disagree);
        CorsAssert.Headers(agree, ("Access-Control-Allow-Origin", Strict), ("Access-Control-Allow-Methods", "PUT"), ("Vary", "Origin"));
        Assert.Equal(0, runs);
    }

    [Fact]
    public async Task Preflight_MethodInOtherCase_RoutedAsRoutingWouldButCheckedCaseSensitively()
    {
        await using var app = await StartAsync(a => a.MapPut("/strict", () => "put").WithCors("strict"));

        var response = await app.PreflightAsync("/strict", Strict, "put");

        CorsAssert.Headers(response, ("Access-Control-Allow-Origin", Strict), ("Access-Control-Allow-Methods", "PUT"), ("Vary", "Origin"));
        Assert.Equal("put", Assert.Single(app.Logs.ForEvent(2)).Values["RejectedValue"]);
    }

    [Fact]
    public async Task Preflight_MiddlewareBeforeRoutingSeesOptionsNeverTheAnnouncedMethod()
    {
        var seen = new List<string>();
        var sideEffects = 0;
        await using var app = await StartAsync(a =>
        {
            a.Use((context, next) =>
            {
                lock (seen)
                {
                    seen.Add(context.Request.Method);
                }

                return next(context);
            });
            a.Map("/legacy", branch => branch.Run(context =>
            {
                if (HttpMethods.IsPut(context.Request.Method))
                {
                    Interlocked.Increment(ref sideEffects);
                }

                return context.Response.WriteAsync("legacy " + context.Request.Method);
            }));
            a.UseRouting();
            a.MapPut("/strict", () => "put").WithCors("strict");
        });

        var routed = await app.PreflightAsync("/strict", Strict, "PUT");
        var legacy = await app.PreflightAsync("/legacy", Lenient, "PUT");

        Assert.Equal(["OPTIONS", "OPTIONS"], seen);
        Assert.Equal(0, sideEffects);
        Assert.Equal(204, (int)routed.StatusCode);

        // A terminal middleware answers the OPTIONS itself, before routing: which endpoint the actual request reaches,
        // and so its policy, is unknown, so CorsKit adds no CORS headers (the browser sends no actual request).
        Assert.Equal("legacy OPTIONS", await legacy.Content.ReadAsStringAsync());
        CorsAssert.Headers(legacy);
    }

    [Fact]
    public async Task Preflight_PathWithoutEndpoint_DefaultPolicyAnswers204()
    {
        await using var app = await StartAsync(a => a.MapPut("/strict", () => "put").WithCors("strict"));

        var lenient = await app.PreflightAsync("/nothing-here", Lenient, "PUT");
        var strict = await app.PreflightAsync("/nothing-here", Strict, "PUT");

        Assert.Equal(204, (int)lenient.StatusCode);
        CorsAssert.Headers(lenient, ("Access-Control-Allow-Origin", Lenient), ("Access-Control-Allow-Methods", "PUT,DELETE"), ("Vary", "Origin"));
        CorsAssert.Headers(strict, ("Vary", "Origin"));
    }

    [Fact]
    public async Task Preflight_RouteConstraintsChooseTheEndpointAsForTheActualRequest()
    {
        await using var app = await StartAsync(a =>
        {
            a.MapPut("/items/{id:int}", (int id) => id).WithCors("strict");
            a.MapPut("/items/{name}", (string name) => name);
        });

        var byId = await app.PreflightAsync("/items/42", Strict, "PUT");
        var byName = await app.PreflightAsync("/items/pear", Strict, "PUT");

        CorsAssert.Headers(byId, ("Access-Control-Allow-Origin", Strict), ("Access-Control-Allow-Methods", "PUT"), ("Vary", "Origin"));
        CorsAssert.Headers(byName, ("Vary", "Origin"));
    }
}

[ApiController]
[Route("mvc")]
public sealed class StateChangingController : ControllerBase
{
    private static int _runs;

    public static int Runs
    {
        get => Volatile.Read(ref _runs);
        set => Volatile.Write(ref _runs, value);
    }

    [HttpPut("disabled")]
    [DisableCors]
    public int Disabled() => Interlocked.Increment(ref _runs);

    [HttpPut("without")]
    [WithoutCors]
    public int Without() => Interlocked.Increment(ref _runs);

    [HttpPut("strict")]
    [WithCors("strict")]
    public int Strict() => Interlocked.Increment(ref _runs);
}

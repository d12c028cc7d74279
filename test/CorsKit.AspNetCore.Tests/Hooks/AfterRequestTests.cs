using CorsKit.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CorsKit.AspNetCore.Tests.Hooks;

public sealed class AfterRequestTests
{
    private const string App = "https://app.example.com";

    private static void Trace(HttpContext context, string step) => context.Response.Headers.Append("X-Trace", step);

    private static Task<TestApp> StartAsync(Action<WebApplication> map) =>
        TestApp.StartAsync(o => o.AddDefaultPolicy(p => p.WithOrigins(App).WithMethods("PUT")), map);

    [Fact]
    public async Task AfterRequest_EveryPlace_RunsMostSpecificFirstThenCors()
    {
        await using var app = await StartAsync(a =>
        {
            a.AfterRequest(c => Trace(c, "app 1"));
            a.AfterRequest(async c =>
            {
                await Task.Yield();
                Trace(c, "app 2");
            });
            var outer = a.MapGroup("/outer").AfterRequest(c => Trace(c, "outer group"));
            var inner = outer.MapGroup("/inner").AfterRequest(c => Trace(c, "inner group 1")).AfterRequest(c => Trace(c, "inner group 2"));
            inner.MapGet("/data", (HttpContext c) =>
            {
                c.AfterThisRequest(x => Trace(x, "this request 1"));
                c.AfterThisRequest(async x =>
                {
                    await Task.Delay(1);
                    Trace(x, "this request 2");
                });
                return "payload";
            }).AfterRequest(c => Trace(c, "endpoint"));
        });

        var response = await app.GetAsync("/outer/inner/data", App);

        await ResponseAssert.BodyAsync(response, 200, "payload");
        ResponseAssert.Headers(
            response,
            ("Content-Type", "text/plain; charset=utf-8"),
            ("X-Trace", "this request 1, this request 2, endpoint, inner group 2, inner group 1, outer group, app 2, app 1"),
            ("Access-Control-Allow-Origin", App),
            ("Vary", "Origin"));
    }

    [Fact]
    public async Task AfterRequest_HookSetsVary_CorsMergesOriginAfterIt()
    {
        await using var app = await StartAsync(a =>
        {
            a.AfterRequest(c => c.Response.Headers.Vary = "Accept-Encoding");
            a.MapGet("/data", () => "payload");
        });

        var response = await app.GetAsync("/data", App);

        CorsAssert.Headers(response, ("Access-Control-Allow-Origin", App), ("Vary", "Accept-Encoding, Origin"));
    }

    [Fact]
    public async Task AfterRequest_HookSetsAllowOrigin_FlaskStyle_CorsKitsAnswerReplacesItAndAWarning()
    {
        await using var app = await StartAsync(a =>
        {
            a.AfterRequest(c => c.Response.Headers.AccessControlAllowOrigin = "*");
            a.MapGet("/data", () => "payload");
        });

        var response = await app.GetAsync("/data", App);

        CorsAssert.SingleLine(response, "Access-Control-Allow-Origin", App);
        Assert.Single(app.Logs.ForEvent(5));
    }

    [Fact]
    public async Task AfterRequest_HookThrows_LoggedOnceOtherHooksAndCorsStillApplied()
    {
        await using var app = await StartAsync(a =>
        {
            a.AfterRequest(c => Trace(c, "app"));
            a.MapGet("/data", () => "payload")
                .AfterRequest(_ => throw new InvalidOperationException("hook failed"))
                .AfterRequest(c => Trace(c, "endpoint"));
        });

        var response = await app.GetAsync("/data", App);

        await ResponseAssert.BodyAsync(response, 200, "payload");
        ResponseAssert.Headers(
            response,
            ("Content-Type", "text/plain; charset=utf-8"),
            ("X-Trace", "endpoint, app"),
            ("Access-Control-Allow-Origin", App),
            ("Vary", "Origin"));
        var error = Assert.Single(app.Logs.ForEvent(20));
        Assert.Equal(LogLevel.Error, error.Level);
        Assert.Equal("hook failed", error.Exception?.Message);
        Assert.Equal("Endpoint", error.Values["Scope"]?.ToString());
        Assert.Equal("/data", error.Values["Path"]);
        Assert.DoesNotContain(app.Logs.Entries, e => e.Level >= LogLevel.Error && e.EventId != 20);
    }

    [Fact]
    public async Task AfterRequest_AsyncHookThrowsAfterAwait_LoggedAndResponseSent()
    {
        await using var app = await StartAsync(a =>
        {
            a.AfterRequest(async _ =>
            {
                await Task.Delay(1);
                throw new InvalidOperationException("late");
            });
            a.MapGet("/data", () => "payload");
        });

        var response = await app.GetAsync("/data", App);

        await ResponseAssert.BodyAsync(response, 200, "payload");
        CorsAssert.Headers(response, ("Access-Control-Allow-Origin", App), ("Vary", "Origin"));
        Assert.Equal("late", Assert.Single(app.Logs.ForEvent(20)).Exception?.Message);
    }

    [Fact]
    public async Task AfterRequest_StreamedResponse_RunsOnceBeforeTheFirstByte()
    {
        var runs = 0;
        await using var app = await StartAsync(a =>
        {
            a.AfterRequest(c =>
            {
                runs++;
                c.Response.Headers["X-Runs"] = runs.ToString(System.Globalization.CultureInfo.InvariantCulture);
            });
            a.MapGet("/stream", async (HttpResponse r) =>
            {
                await r.WriteAsync("one,");
                await r.Body.FlushAsync();
                await r.WriteAsync("two");
            });
        });

        var response = await app.GetAsync("/stream", App);

        await ResponseAssert.BodyAsync(response, 200, "one,two");
        CorsAssert.SingleLine(response, "X-Runs", "1");
        Assert.Equal(1, runs);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AfterRequest_ErrorResponse_RunsOnceEvenWhenTheHandlerReExecutesThePipeline(bool exceptionHandler)
    {
        var runs = 0;
        await using var app = await StartAsync(a =>
        {
            if (exceptionHandler)
            {
                a.UseExceptionHandler("/error");
                a.Map("/error", () => "error page");
            }

            a.AfterRequest(c =>
            {
                runs++;
                Trace(c, "app");
            });
            a.MapGet("/throw", string (HttpContext c) =>
            {
                c.AfterThisRequest(x => Trace(x, "this request"));
                throw new InvalidOperationException("boom");
            });
        });

        var response = await app.GetAsync("/throw", App);

        Assert.Equal(500, (int)response.StatusCode);
        Assert.Equal(["this request", "app"], response.Headers.NonValidated["X-Trace"].ToArray());
        Assert.Equal(1, runs);
    }

    [Fact]
    public async Task AfterRequest_CanReadTheFinalStatus()
    {
        await using var app = await StartAsync(a =>
        {
            a.AfterRequest(c => c.Response.Headers["X-Status"] = c.Response.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture));
            a.MapGet("/gone", () => Results.StatusCode(410));
        });

        var response = await app.GetAsync("/gone", null);

        Assert.Equal(410, (int)response.StatusCode);
        CorsAssert.SingleLine(response, "X-Status", "410");
    }

    [Fact]
    public async Task AfterRequest_GroupHook_OnlyOnItsEndpoints()
    {
        await using var app = await StartAsync(a =>
        {
            a.MapGroup("/admin").AfterRequest(c => c.Response.Headers.CacheControl = "no-store").MapGet("/users", () => "users");
            a.MapGet("/public", () => "public");
        });

        var admin = await app.GetAsync("/admin/users", null);
        var open = await app.GetAsync("/public", null);

        ResponseAssert.Headers(admin, ("Content-Type", "text/plain; charset=utf-8"), ("Cache-Control", "no-store"), ("Vary", "Origin"));
        ResponseAssert.Headers(open, ("Content-Type", "text/plain; charset=utf-8"), ("Vary", "Origin"));
    }

    [Fact]
    public async Task AfterRequest_PreflightAnsweredByCorsKit_EndpointAndAppHooksRunThenCors()
    {
        var endpointRuns = 0;
        await using var app = await StartAsync(a =>
        {
            a.AfterRequest(c => Trace(c, $"app sees {c.Request.Method} {c.Response.StatusCode}"));
            a.MapPut("/items", () => endpointRuns++).AfterRequest(c => Trace(c, "endpoint"));
        });

        var response = await app.PreflightAsync("/items", App, "PUT");

        await ResponseAssert.BodyAsync(response, 204, string.Empty);
        ResponseAssert.Headers(
            response,
            ("X-Trace", "endpoint, app sees OPTIONS 204"),
            ("Access-Control-Allow-Origin", App),
            ("Access-Control-Allow-Methods", "PUT"),
            ("Vary", "Origin"));
        Assert.Equal(0, endpointRuns);
    }

    [Fact]
    public async Task AfterRequest_PreflightHookThrows_LoggedAndPreflightStillAnswered()
    {
        await using var app = await StartAsync(a =>
        {
            a.AfterRequest(_ => throw new InvalidOperationException("hook failed"));
            a.MapPut("/items", () => "updated");
        });

        var response = await app.PreflightAsync("/items", App, "PUT");

        Assert.Equal(204, (int)response.StatusCode);
        CorsAssert.Headers(response, ("Access-Control-Allow-Origin", App), ("Access-Control-Allow-Methods", "PUT"), ("Vary", "Origin"));
        Assert.Single(app.Logs.ForEvent(20));
    }

    [Fact]
    public async Task AfterRequest_PreflightToWithoutCorsEndpoint_AnsweredWithoutCorsAndHooksRun()
    {
        await using var app = await StartAsync(a =>
        {
            a.AfterRequest(c => Trace(c, "app"));
            a.MapPut("/raw", () => "put").WithoutCors();
            a.MapMethods("/raw", ["OPTIONS"], () => "raw options");
        });

        var response = await app.PreflightAsync("/raw", App, "PUT");

        // Neither the PUT endpoint nor the app's OPTIONS handler runs for a preflight to a WithoutCors endpoint.
        await ResponseAssert.BodyAsync(response, 204, string.Empty);
        ResponseAssert.Headers(response, ("X-Trace", "app"));
    }

    [Fact]
    public async Task AfterThisRequest_OnlyThatRequest()
    {
        await using var app = await StartAsync(a => a.MapGet("/data", (HttpContext c, bool? mark) =>
        {
            if (mark == true)
            {
                c.AfterThisRequest(x => x.Response.Headers["X-Marked"] = "yes");
            }

            return "payload";
        }));

        var marked = await app.GetAsync("/data?mark=true", null);
        var plain = await app.GetAsync("/data", null);

        CorsAssert.SingleLine(marked, "X-Marked", "yes");
        Assert.False(plain.Headers.Contains("X-Marked"));
    }

    [Fact]
    public async Task AfterThisRequest_AfterTheResponseStarted_Throws()
    {
        Exception? error = null;
        await using var app = await StartAsync(a => a.MapGet("/late", async (HttpContext c) =>
        {
            await c.Response.WriteAsync("started");
            await c.Response.Body.FlushAsync();
            error = Record.Exception(() => c.AfterThisRequest(_ => { }));
        }));

        await app.GetAsync("/late", null);

        Assert.Equal("context.AfterThisRequest(...) was called after the response started; its headers can no longer be changed.", Assert.IsType<InvalidOperationException>(error).Message);
    }

    [Fact]
    public async Task AfterRequest_AddedAfterStart_Throws()
    {
        await using var app = await StartAsync(a => a.MapGet("/data", () => "payload"));

        var error = Assert.Throws<InvalidOperationException>(() => app.App.AfterRequest(_ => { }));

        Assert.Equal("app.AfterRequest(...) must be called before the app starts (before app.Run()); per-request hooks use context.AfterThisRequest(...).", error.Message);
    }

    [Fact]
    public void AfterRequest_WithoutAddCorsKit_ThrowsNamingTheFix()
    {
        var app = WebApplication.CreateBuilder().Build();

        var error = Assert.Throws<InvalidOperationException>(() => app.AfterRequest(_ => { }));

        Assert.Equal("app.AfterRequest(...) needs CorsKit's services: call builder.Services.AddCorsKit(...) first.", error.Message);
    }
}

using CorsKit.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CorsKit.AspNetCore.Tests.Security;

/// <summary>Errors and logs that stay true, on Kestrel: what CorsKit logs is what went out.</summary>
public sealed class LogTruthTests
{
    private const string App = "https://app.example.com";

    [Fact]
    public async Task AppOnStartingCallbackThrows_BareServer500_LoggedAsSuchNotAsAnswered()
    {
        await using var app = await TestApp.StartAsync(
            o => o.AddDefaultPolicy(p => p.WithOrigins(App)),
            a => a.MapGet("/data", (HttpContext context) =>
            {
                context.Response.OnStarting(() => throw new InvalidOperationException("app callback failed"));
                return "payload";
            }),
            kestrel: true);

        var response = await app.GetAsync("/data", App);

        // The server answers a bare 500 (it resets the headers when an OnStarting callback throws): the log says so.
        Assert.Equal(500, (int)response.StatusCode);
        Assert.Equal(string.Empty, await response.Content.ReadAsStringAsync());
        CorsAssert.Headers(response);
        await WaitForAsync(() => app.Logs.ForEvent(11).Count > 0);
        var entry = Assert.Single(app.Logs.ForEvent(11));
        Assert.Equal(LogLevel.Error, entry.Level);
        Assert.Equal("/data", entry.Values["Path"]);
        Assert.Empty(app.Logs.ForEvent(6));
    }

    [Fact]
    public async Task ClientGoesAwayWhileAProviderIsAsked_NoErrorAndNoClaimOfA500()
    {
        var asked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var app = await TestApp.StartAsync(
            o =>
            {
                o.AddPolicyProvider("slow", async (_, cancellation) =>
                {
                    asked.TrySetResult();
                    await Task.Delay(Timeout.Infinite, cancellation);
                    return null;
                });
                o.DefaultPolicyName = "slow";
                o.PolicyProviderTimeout = TimeSpan.FromMinutes(1);
            },
            a => a.MapGet("/data", () => "payload"),
            kestrel: true);

        await SendAndHangUpAsync(app, asked.Task);

        await WaitForAsync(() => app.Logs.ForEvent(10).Count > 0);
        var aborted = Assert.Single(app.Logs.ForEvent(10));
        Assert.Equal(LogLevel.Debug, aborted.Level);
        Assert.DoesNotContain(app.Logs.Entries, e => e.Level >= LogLevel.Error);
        Assert.Empty(app.Logs.ForEvent(6));
        Assert.Empty(app.Logs.ForEvent(9));
    }

    [Fact]
    public async Task ClientGoesAwayWhileAPredicateIsAsked_NoErrorAndNoClaimOfA500()
    {
        var asked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var release = new ManualResetEventSlim();
        await using var app = await TestApp.StartAsync(
            o => o.AddDefaultPolicy(p => p.WithOriginPredicate(_ =>
            {
                asked.TrySetResult();
                release.Wait(TimeSpan.FromSeconds(30));
                return true;
            })),
            a => a.MapGet("/data", () => "payload"),
            kestrel: true);

        await SendAndHangUpAsync(app, asked.Task);

        await WaitForAsync(() => app.Logs.ForEvent(10).Count > 0);
        release.Set();
        Assert.Equal(LogLevel.Debug, Assert.Single(app.Logs.ForEvent(10)).Level);
        Assert.DoesNotContain(app.Logs.Entries, e => e.Level >= LogLevel.Error);
    }

    [Fact]
    public async Task ClientGoesAwayWhileAWebSocketOriginCheckWaits_OneDebugLineNoError()
    {
        var asked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var release = new ManualResetEventSlim();
        await using var app = await TestApp.StartAsync(
            o => o.AddPolicy("spa", p => p.WithOriginPredicate(_ =>
            {
                asked.TrySetResult();
                release.Wait(TimeSpan.FromSeconds(30));
                return true;
            })),
            a =>
            {
                a.UseWebSockets();
                a.UseWebSocketOrigins("spa");
                a.Map("/data", async (HttpContext context) => (await context.WebSockets.AcceptWebSocketAsync()).Dispose());
            },
            kestrel: true);

        await SendAndHangUpAsync(app, asked.Task, "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n");

        await WaitForAsync(() => app.Logs.ForEvent(10).Count > 0);
        release.Set();
        var aborted = Assert.Single(app.Logs.ForEvent(10));
        Assert.Equal((LogLevel.Debug, "an origin predicate"), (aborted.Level, aborted.Values["What"]));
        Assert.Empty(app.Logs.ForEvent(30));
        Assert.DoesNotContain(app.Logs.Entries, e => e.Level >= LogLevel.Error);
    }

    [Fact]
    public async Task ClientGoesAwayWhileAnAfterRequestHookWaits_NoErrorAndNoClaimThatTheResponseWentOut()
    {
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var app = await TestApp.StartAsync(
            o => o.AddDefaultPolicy(p => p.WithOrigins(App)),
            a =>
            {
                a.AfterRequest(async context =>
                {
                    waiting.TrySetResult();
                    await Task.Delay(Timeout.Infinite, context.RequestAborted);
                });
                a.MapGet("/data", () => "payload");
            },
            kestrel: true);

        await SendAndHangUpAsync(app, waiting.Task);

        await WaitForAsync(() => app.Logs.ForEvent(10).Count > 0);
        var aborted = Assert.Single(app.Logs.ForEvent(10));
        Assert.Equal(LogLevel.Debug, aborted.Level);
        Assert.StartsWith("after-request hook '", (string)aborted.Values["What"]!, StringComparison.Ordinal);
        Assert.Empty(app.Logs.ForEvent(20));
        Assert.DoesNotContain(app.Logs.Entries, e => e.Level >= LogLevel.Error);
    }

    [Fact]
    public async Task FloodOfRefusedOrigins_TenInformationEntriesASecondTheRestAtDebug()
    {
        await using var app = await TestApp.StartAsync(
            o => o.AddDefaultPolicy(p => p.WithOrigins(App)),
            a => a.MapGet("/data", () => "payload"),
            b => b.Services.AddSingleton<TimeProvider>(new FrozenClock()),
            kestrel: true);

        for (var i = 0; i < 50; i++)
        {
            var response = await app.GetAsync("/data", $"https://attacker-{i}.example");
            CorsAssert.Headers(response, ("Vary", "Origin"));
        }

        var rejections = app.Logs.ForEvent(2);
        Assert.Equal(50, rejections.Count);
        Assert.Equal(10, rejections.Count(e => e.Level == LogLevel.Information));
        Assert.Equal(40, rejections.Count(e => e.Level == LogLevel.Debug));
        Assert.Equal("https://attacker-0.example", rejections[0].Values["Origin"]);
    }

    [Fact]
    public async Task FloodOfRefusedOriginsInDebugMode_TenWarningsASecondTheRestAtDebugEveryAnswerStillExplained()
    {
        await using var app = await TestApp.StartAsync(
            o => o.AddDefaultPolicy(p => p.WithOrigins(App)),
            a => a.MapGet("/data", () => "payload"),
            b => b.Services.AddSingleton<TimeProvider>(new FrozenClock()),
            environment: "Development",
            kestrel: true);

        for (var i = 0; i < 50; i++)
        {
            var origin = $"https://attacker-{i}.example";
            var response = await app.GetAsync("/data", origin);
            CorsAssert.Headers(response, ("Vary", "Origin"), ("X-CorsKit-Reason", $"origin '{origin}' is not allowed by policy 'default'; allowed: {App}"));
        }

        var explained = app.Logs.ForEvent(3);
        Assert.Equal(50, explained.Count);
        Assert.Equal(10, explained.Count(e => e.Level == LogLevel.Warning));
        Assert.Equal(40, explained.Count(e => e.Level == LogLevel.Debug));
    }

    [Fact]
    public async Task FloodOfProviderFailures_OriginCheckFailureInTheSameSecondStillAtError()
    {
        await using var app = await TestApp.StartAsync(
            o =>
            {
                o.AddPolicyProvider("broken", (_, _) => throw new InvalidOperationException("store down"));
                o.AddPolicy("predicate", p => p.WithOriginPredicate(_ => throw new InvalidOperationException("predicate bug")));
            },
            a =>
            {
                a.MapGet("/provider", () => "payload").WithCors("broken");
                a.MapGet("/predicate", () => "payload").WithCors("predicate");
            },
            b => b.Services.AddSingleton<TimeProvider>(new FrozenClock()),
            kestrel: true);

        for (var i = 0; i < 15; i++)
        {
            CorsAssert.Headers(await app.GetAsync("/provider", App), ("Vary", "Origin"));
        }

        CorsAssert.Headers(await app.GetAsync("/predicate", App), ("Vary", "Origin"));

        var providerFailures = app.Logs.ForEvent(9);
        Assert.Equal(15, providerFailures.Count);
        Assert.Equal(10, providerFailures.Count(e => e.Level == LogLevel.Error));
        Assert.Equal(5, providerFailures.Count(e => e.Level == LogLevel.Debug));
        var originCheckFailure = Assert.Single(app.Logs.ForEvent(4));
        Assert.Equal(LogLevel.Error, originCheckFailure.Level);
        Assert.Equal("predicate bug", originCheckFailure.Exception!.Message);
    }

    [Fact]
    public async Task UserCodeExceptionMessages_EscapedLikeRequestValues()
    {
        const string forged = "store down\r\ninfo: Microsoft.Hosting.Lifetime[0] admin signed in";
        await using var app = await TestApp.StartAsync(
            o =>
            {
                o.AddPolicyProvider("broken", (_, _) => throw new InvalidOperationException(forged));
                o.AddPolicy("predicate", p => p.WithOriginPredicate(_ => throw new InvalidOperationException(forged)));
            },
            a =>
            {
                a.MapGet("/provider", () => "payload").WithCors("broken");
                a.MapGet("/predicate", () => "payload").WithCors("predicate");
                a.MapGet("/hook", () => "payload").WithCors("predicate").AfterRequest(_ => throw new InvalidOperationException(forged));
            },
            kestrel: true);

        CorsAssert.Headers(await app.GetAsync("/provider", App), ("Vary", "Origin"));
        CorsAssert.Headers(await app.GetAsync("/predicate", App), ("Vary", "Origin"));
        await app.GetAsync("/hook", App);

        const string escaped = "store down\\u000D\\u000Ainfo: Microsoft.Hosting.Lifetime[0] admin signed in";
        foreach (var eventId in new[] { 9, 4, 20 })
        {
            var entry = app.Logs.ForEvent(eventId)[0];
            Assert.Equal(escaped, entry.Exception!.Message);
            Assert.DoesNotContain('\n', entry.Exception.ToString().Split(" at ")[0].TrimEnd());
            Assert.StartsWith("System.InvalidOperationException (message escaped by CorsKit): " + escaped, entry.Exception.ToString(), StringComparison.Ordinal);
        }
    }

    // Sends a request on a raw connection (GET /data from App, with extraHeaders), waits until CorsKit is waiting for the
    // app's code, then closes the connection.
    private static async Task SendAndHangUpAsync(TestApp app, Task waiting, string extraHeaders = "")
    {
        var address = new Uri(app.App.Urls.Single());
        using (var client = new TcpClient())
        {
            await client.ConnectAsync("127.0.0.1", address.Port);
            var stream = client.GetStream();
            await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes($"GET /data HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: {App}\r\n{extraHeaders}\r\n"));
            await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    private static async Task WaitForAsync(Func<bool> done)
    {
        for (var i = 0; i < 500 && !done(); i++)
        {
            await Task.Delay(10);
        }
    }
}

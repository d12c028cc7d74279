using System.Net;
using System.Net.WebSockets;
using System.Text;
using CorsKit.AspNetCore.Tests.Infrastructure;
using CorsKit.Policies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CorsKit.AspNetCore.Tests.WebSockets;

/// <summary>
/// <c>UseWebSocketOrigins("spa")</c> on Kestrel, driven by a raw <see cref="ClientWebSocket"/> that sets the <c>Origin</c>
/// header as a browser would: the policy's origins decide which handshakes succeed, with its own matcher (wildcards,
/// lookalikes), for a plain <c>UseWebSockets</c> endpoint and for SignalR's WebSocket transport without a negotiate.
/// </summary>
public sealed class WebSocketOriginTests
{
    private const string App = "https://app.example.com";

    public static TheoryData<string> AllowedOrigins => new() { App, "https://a.b.example.com" };

    public static TheoryData<string> RefusedOrigins => new()
    {
        "https://evil.example",
        "https://app.example.com.evil.com",   // a lookalike: the exact entry as a prefix
        "https://example.com",                // the apex: not a subdomain of *.example.com
        "http://app.example.com",             // another scheme
        "https://app.example.com:8443",       // another port
        "null",                               // a sandboxed page
    };

    [Theory]
    [MemberData(nameof(AllowedOrigins))]
    public async Task Handshake_AllowedOrigin_OpensAndEchoes(string origin)
    {
        await using var app = await StartEchoAsync();

        using var socket = await WebSocketHandshake.ConnectAsync(app, "/ws", origin);

        Assert.Equal(HttpStatusCode.SwitchingProtocols, socket.HttpStatusCode);
        Assert.Equal("echo: hello", await RoundTripAsync(socket, "hello"));
        Assert.Empty(app.Logs.ForEvent(30));
    }

    [Theory]
    [MemberData(nameof(RefusedOrigins))]
    public async Task Handshake_RefusedOrigin_Gets403AndTheEndpointNeverRuns(string origin)
    {
        await using var app = await StartEchoAsync();
        var echo = app.App.Services.GetRequiredService<EchoCount>();

        using var socket = await WebSocketHandshake.ConnectAsync(app, "/ws", origin);

        Assert.Equal(HttpStatusCode.Forbidden, socket.HttpStatusCode);
        Assert.Equal(WebSocketState.Closed, socket.State);
        Assert.Equal("Origin", string.Join(", ", socket.HttpResponseHeaders!["Vary"]));
        Assert.DoesNotContain(socket.HttpResponseHeaders!.Keys, k => k.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(0, echo.Value);
        var refusal = Assert.Single(app.Logs.ForEvent(30));
        Assert.Equal(LogLevel.Information, refusal.Level);
        Assert.Equal(origin, refusal.Values["Origin"]);
        Assert.Equal("spa", refusal.Values["PolicyName"]);
        Assert.Equal($"WebSocket handshake from origin {origin} to /ws refused with 403 by UseWebSocketOrigins(\"spa\"): the policy does not allow that origin", refusal.Message);
        Assert.Null(refusal.Exception);
    }

    [Fact]
    public async Task Handshake_PolicyFromAProvider_JudgedByThePolicyItChose()
    {
        await using var app = await StartEchoAsync(cors: o => o.AddPolicyProvider("spa", (_, _) =>
            ValueTask.FromResult<CorsKit.Policies.CorsPolicy?>(new CorsPolicyBuilder("tenant").WithOrigins(App).Build())));

        using (var allowed = await WebSocketHandshake.ConnectAsync(app, "/ws", App))
        {
            Assert.Equal("echo: tenant", await RoundTripAsync(allowed, "tenant"));
        }

        using var refused = await WebSocketHandshake.ConnectAsync(app, "/ws", "https://app.example.com.evil.com");
        Assert.Equal(HttpStatusCode.Forbidden, refused.HttpStatusCode);
    }

    // A provider that throws is a failure: 403, event 30 with the error. So is a cancellation the client did not cause,
    // such as HttpClient's own timeout: not a client going away, and never an unhandled exception (before: a 500, and
    // event 6 claiming CORS headers that were not there). The CORS middleware's own ask of the provider fails too, and
    // says so (event 9).
    [Theory]
    [InlineData("tenant store down")]
    [InlineData("HttpClient.Timeout")]
    public async Task Handshake_ProviderThrows_RefusedAndLoggedWithTheError(string message)
    {
        Exception failure = message == "HttpClient.Timeout" ? new TaskCanceledException(message, new TimeoutException()) : new InvalidOperationException(message);
        await using var app = await StartEchoAsync(cors: o => o.AddPolicyProvider("spa", (_, _) => throw failure));

        using var socket = await WebSocketHandshake.ConnectAsync(app, "/ws", App);

        Assert.Equal(HttpStatusCode.Forbidden, socket.HttpStatusCode);
        Assert.Equal(0, app.App.Services.GetRequiredService<EchoCount>().Value);
        var refusal = Assert.Single(app.Logs.ForEvent(30));
        Assert.Equal("its policy provider failed (fail closed)", refusal.Values["Reason"]);
        Assert.Equal(message, refusal.Exception?.Message);
        Assert.Empty(app.Logs.ForEvent(6));
    }

    // Two branches, each with its own UseWebSocketOrigins, in one second: one budget for the app's refusals (10 at
    // Information), and another for failures, so a flood of refused origins does not push a failing provider to Debug.
    [Fact]
    public async Task FloodOfRefusals_TwoBranches_OneBudgetPerApp_AFailureStillAtInformation()
    {
        const string Boom = "https://boom.example";
        var spa = new CorsPolicyBuilder("tenant").WithOrigins(App).Build();
        await using var app = await TestApp.StartAsync(
            o => o.AddPolicyProvider("spa", (context, _) => context.Request.Headers.Origin == Boom
                ? throw new InvalidOperationException("tenant store down")
                : ValueTask.FromResult<CorsKit.Policies.CorsPolicy?>(spa)),
            app =>
            {
                app.UseWebSockets();
                foreach (var branch in new[] { "/a", "/b" })
                {
                    app.Map(branch, b =>
                    {
                        b.UseWebSocketOrigins("spa");
                        b.Run(async context => (await context.WebSockets.AcceptWebSocketAsync()).Dispose());
                    });
                }
            },
            b => b.Services.AddSingleton<TimeProvider>(new FrozenClock()),
            kestrel: true);

        foreach (var branch in new[] { "/a", "/b" })
        {
            for (var i = 0; i < 15; i++)
            {
                using var refused = await WebSocketHandshake.ConnectAsync(app, branch, $"https://attacker-{i}.example");
                Assert.Equal(HttpStatusCode.Forbidden, refused.HttpStatusCode);
            }
        }

        using (var failed = await WebSocketHandshake.ConnectAsync(app, "/a", Boom))
        {
            Assert.Equal(HttpStatusCode.Forbidden, failed.HttpStatusCode);
        }

        var refusals = app.Logs.ForEvent(30).Where(e => e.Exception is null).ToList();
        Assert.Equal((30, 10, 20), (refusals.Count, refusals.Count(e => e.Level == LogLevel.Information), refusals.Count(e => e.Level == LogLevel.Debug)));
        var failure = Assert.Single(app.Logs.ForEvent(30), e => e.Exception is not null);
        Assert.Equal((LogLevel.Information, "tenant store down"), (failure.Level, failure.Exception!.Message));
    }

    [Theory]
    [InlineData(App, HttpStatusCode.OK)]
    [InlineData("https://app.example.com.evil.com", HttpStatusCode.Forbidden)]
    public async Task Http2ExtendedConnect_OriginJudgedAsOnHttp1(string origin, HttpStatusCode expected)
    {
        // RFC 8441: over HTTP/2 the handshake is a CONNECT with :protocol websocket, and success is 200, not 101.
        await using var app = await StartEchoAsync(builder => builder.WebHost.ConfigureKestrel(k => k.ConfigureEndpointDefaults(l => l.Protocols = HttpProtocols.Http2)));
        using var handler = new SocketsHttpHandler();
        using var invoker = new HttpMessageInvoker(handler);
        using var socket = new ClientWebSocket();
        socket.Options.HttpVersion = HttpVersion.Version20;
        socket.Options.HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("Origin", origin);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        try
        {
            await socket.ConnectAsync(new UriBuilder(app.Client.BaseAddress!) { Scheme = "ws", Path = "/ws" }.Uri, invoker, timeout.Token);
        }
        catch (WebSocketException) when (socket.HttpStatusCode != 0)
        {
            // Refused: HttpStatusCode says how.
        }

        Assert.Equal(expected, socket.HttpStatusCode);
        if (expected == HttpStatusCode.OK)
        {
            Assert.Equal("echo: over h2", await RoundTripAsync(socket, "over h2"));
        }
        else
        {
            Assert.Equal(origin, Assert.Single(app.Logs.ForEvent(30)).Values["Origin"]);
        }
    }

    [Fact]
    public async Task Handshake_NoOrigin_OpensAsForANonBrowserClient()
    {
        await using var app = await StartEchoAsync();

        using var socket = await WebSocketHandshake.ConnectAsync(app, "/ws", origin: null);

        Assert.Equal("echo: ping", await RoundTripAsync(socket, "ping"));
    }

    [Fact]
    public async Task PlainRequest_RefusedOrigin_PassesUntouched()
    {
        await using var app = await StartEchoAsync();

        var response = await app.GetAsync("/plain", "https://evil.example");

        await ResponseAssert.BodyAsync(response, 200, "plain");
        CorsAssert.Headers(response, ("Vary", "Origin"));
        Assert.Empty(app.Logs.ForEvent(30));
    }

    [Theory]
    [InlineData(true, App, HttpStatusCode.SwitchingProtocols)]
    [InlineData(true, "https://evil.example", HttpStatusCode.Forbidden)]
    [InlineData(false, "https://evil.example", HttpStatusCode.SwitchingProtocols)]
    public async Task SignalRHub_WebSocketWithoutNegotiate_OnlyTheOriginCheckStopsARefusedOrigin(bool check, string origin, HttpStatusCode expected)
    {
        // A client may skip negotiate (skipNegotiation: true) and open the hub's socket directly, so the negotiate's CORS
        // does not guard the WebSocket transport: without the origin check, any site's page gets a live hub connection.
        await using var app = await TestApp.StartAsync(
            Policies,
            app =>
            {
                if (check)
                {
                    app.UseWebSocketOrigins("spa");
                }

                app.MapHub<EchoHub>("/chat").WithCors("spa");
            },
            builder => builder.Services.AddSignalR(),
            kestrel: true);

        using var socket = await WebSocketHandshake.ConnectAsync(app, "/chat", origin);

        Assert.Equal(expected, socket.HttpStatusCode);
        if (expected == HttpStatusCode.SwitchingProtocols)
        {
            // SignalR's handshake: the JSON protocol asked for, an empty object (no error) back; both end with U+001E.
            Assert.Equal("{}\u001e", await RoundTripAsync(socket, "{\"protocol\":\"json\",\"version\":1}\u001e"));
        }
    }

    [Fact]
    public async Task UseWebSocketOrigins_UnknownPolicy_StopsTheAppAtStartup()
    {
        var error = await Assert.ThrowsAsync<CorsPolicyException>(() => TestApp.StartAsync(Policies, app => app.UseWebSocketOrigins("sap"), kestrel: true));

        Assert.Equal("UseWebSocketOrigins(\"sap\") names a policy that is not registered; add options.AddPolicy(\"sap\", ...) (registered: spa)", error.Message);
    }

    private static void Policies(CorsKitOptions options) =>
        options.AddPolicy("spa", p => p.WithOrigins(App, "https://*.example.com").SetIsOriginAllowedToAllowWildcardSubdomains().AllowCredentials());

    private static Task<TestApp> StartEchoAsync(Action<WebApplicationBuilder>? configure = null, Action<CorsKitOptions>? cors = null) => TestApp.StartAsync(
        cors ?? Policies,
        app =>
        {
            app.UseWebSockets();
            app.UseWebSocketOrigins("spa");
            app.MapGet("/plain", () => "plain").WithCors("spa");
            app.Map("/ws", async (HttpContext context, EchoCount count) =>
            {
                count.Add();
                using var socket = await context.WebSockets.AcceptWebSocketAsync();
                var buffer = new byte[256];
                var received = await socket.ReceiveAsync(buffer, context.RequestAborted);
                await socket.SendAsync(Encoding.UTF8.GetBytes("echo: " + Encoding.UTF8.GetString(buffer, 0, received.Count)), WebSocketMessageType.Text, true, context.RequestAborted);
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", context.RequestAborted);
            }).WithCors("spa");
        },
        builder =>
        {
            builder.Services.AddSingleton<EchoCount>();
            configure?.Invoke(builder);
        },
        kestrel: true);

    private static async Task<string> RoundTripAsync(ClientWebSocket socket, string message)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, true, timeout.Token);
        var buffer = new byte[256];
        var received = await socket.ReceiveAsync(buffer, timeout.Token);
        return Encoding.UTF8.GetString(buffer, 0, received.Count);
    }

    private sealed class EchoCount
    {
        private int _value;

        public int Value => Volatile.Read(ref _value);

        public void Add() => Interlocked.Increment(ref _value);
    }

    private sealed class EchoHub : Hub
    {
        public string Echo(string message) => message;
    }
}

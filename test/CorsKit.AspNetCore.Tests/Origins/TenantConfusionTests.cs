using System.Net;
using System.Net.WebSockets;
using CorsKit.AspNetCore.Tests.Infrastructure;
using CorsKit.Sources;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CorsKit.AspNetCore.Tests.Origins;

/// <summary>
/// A tenanted policy over a store that also holds untenanted origins (the <c>""</c> tenant, as ConfigurationOriginStore's
/// array entries are): a request whose tenant is missing must be checked against no tenant's origins, and a WebSocket
/// handshake must be judged for its own tenant, as a CORS request is.
/// </summary>
public sealed class TenantConfusionTests
{
    private const string Acme = "https://app.acme.example";
    private const string Shared = "https://shared.example";

    [Fact]
    public async Task RouteTenant_Missing_UntenantedOriginsNotAllowed()
    {
        var store = new MemoryOriginStore();
        store.Tenants["acme"] = [Acme];
        store.Tenants[string.Empty] = [Shared];
        var source = new OriginSource("customers", store);
        await using var app = await TestApp.StartAsync(
            cors => cors.AddDefaultPolicy(p => p.WithOriginsFrom(source, OriginTenant.FromRouteValue("tenant")).AllowCredentials()),
            web =>
            {
                web.MapGet("/tenants/{tenant}/data", (string tenant) => tenant);
                web.MapGet("/plain", () => "plain");
            },
            kestrel: true);

        using (var acme = await app.GetAsync("/tenants/acme/data", Acme))
        {
            CorsAssert.Headers(acme, ("Access-Control-Allow-Origin", Acme), ("Access-Control-Allow-Credentials", "true"), ("Vary", "Origin"));
        }

        using var noTenant = await app.GetAsync("/plain", Shared);
        await ResponseAssert.BodyAsync(noTenant, 200, "plain");
        CorsAssert.Headers(noTenant, ("Vary", "Origin"));
    }

    [Fact]
    public async Task WebSocket_HostTenantedPolicy_JudgedForTheRequestsTenant()
    {
        var store = new MemoryOriginStore();
        store.Tenants["127.0.0.1"] = [Acme];
        store.Tenants[string.Empty] = [Shared];
        var source = new OriginSource("hosts", store);
        await using var app = await TestApp.StartAsync(
            cors => cors.AddPolicy("spa", p => p.WithOriginsFrom(source, OriginTenant.Host).AllowCredentials()),
            web =>
            {
                web.UseWebSockets();
                web.UseWebSocketOrigins("spa");
                web.Map("/ws", async (HttpContext context) =>
                {
                    using var socket = await context.WebSockets.AcceptWebSocketAsync();
                    await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", context.RequestAborted);
                }).WithCors("spa");
            },
            kestrel: true);

        // The host's own origin opens a socket; the untenanted origin is no origin of this host.
        using var acme = await WebSocketHandshake.ConnectAsync(app, "/ws", Acme);
        Assert.Equal(HttpStatusCode.SwitchingProtocols, acme.HttpStatusCode);
        using var shared = await WebSocketHandshake.ConnectAsync(app, "/ws", Shared);
        Assert.Equal(HttpStatusCode.Forbidden, shared.HttpStatusCode);
    }
}

using System.Net;
using System.Net.WebSockets;
using CorsKit.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CorsKit.AspNetCore.Tests.WebSockets;

/// <summary>
/// <c>UseWebSocketOrigins("spa")</c> over a policy from configuration: an edit that removes an origin (or the policy) must
/// reach the handshake check as it reaches CORS, or a revoked origin keeps opening sockets until a restart.
/// </summary>
public sealed class WebSocketReloadTests : IDisposable
{
    private const string Trusted = "https://app.example.com";
    private const string Partner = "https://partner.example.com";

    private readonly string _directory = Directory.CreateTempSubdirectory("corskit-wsreload-").FullName;

    private string File => Path.Combine(_directory, "cors.json");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Reload_OriginRemoved_HandshakeFromItRefused()
    {
        await using var app = await StartAsync(Spa(Trusted));
        using (var before = await WebSocketHandshake.ConnectAsync(app, "/ws", Trusted))
        {
            Assert.Equal(HttpStatusCode.SwitchingProtocols, before.HttpStatusCode);
        }

        Edit(app, Spa(Partner));

        CorsAssert.Headers(await app.GetAsync("/items", Trusted), ("Vary", "Origin"));
        using var revoked = await WebSocketHandshake.ConnectAsync(app, "/ws", Trusted);
        Assert.Equal(HttpStatusCode.Forbidden, revoked.HttpStatusCode);
        using var added = await WebSocketHandshake.ConnectAsync(app, "/ws", Partner);
        Assert.Equal(HttpStatusCode.SwitchingProtocols, added.HttpStatusCode);
    }

    [Fact]
    public async Task Reload_PolicyUseWebSocketOriginsNamesRemoved_RefusedAndTheOldPolicyKept()
    {
        // No endpoint names "spa": only UseWebSocketOrigins does.
        await using var app = await StartAsync(Spa(Trusted), corsEndpoint: false);

        Edit(app, """{ "CorsKit": { "Policies": { "other": { "Origins": [ "https://partner.example.com" ] } } } }""");

        var refusal = Assert.Single(app.Logs.ForEvent(32));
        Assert.Contains("'spa'", refusal.Message, StringComparison.Ordinal);
        using var still = await WebSocketHandshake.ConnectAsync(app, "/ws", Trusted);
        Assert.Equal(HttpStatusCode.SwitchingProtocols, still.HttpStatusCode);
    }

    private static string Spa(string origin) =>
        $$"""{ "CorsKit": { "Policies": { "spa": { "Origins": [ "{{origin}}" ] } } } }""";

    private void Edit(TestApp app, string json)
    {
        System.IO.File.WriteAllText(File, json);
        ((IConfigurationRoot)app.App.Configuration).Reload();
    }

    private Task<TestApp> StartAsync(string json, bool corsEndpoint = true)
    {
        System.IO.File.WriteAllText(File, json);
        return TestApp.StartAsync(
            cors: null,
            app =>
            {
                app.UseWebSockets();
                app.UseWebSocketOrigins("spa");
                var items = app.MapGet("/items", () => "items");
                if (corsEndpoint)
                {
                    items.WithCors("spa");
                }

                app.Map("/ws", async (HttpContext context) =>
                {
                    using var socket = await context.WebSockets.AcceptWebSocketAsync();
                    await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", context.RequestAborted);
                });
            },
            builder =>
            {
                builder.Configuration.AddJsonFile(File, optional: false, reloadOnChange: false);
                builder.Services.AddCorsKit(builder.Configuration.GetSection("CorsKit"));
            },
            kestrel: true);
    }
}

using System.Collections.Concurrent;
using CorsKit.RealBrowsers.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CorsKit.RealBrowsers.Tests.SignalR;

/// <summary>
/// A SignalR hub behind CorsKit on Kestrel (policy <c>spa</c>: the allowed page's origin, with credentials, and
/// <c>UseWebSocketOrigins("spa")</c>), two page origins that serve a page with the official client (one the policy
/// allows, one it refuses), and one Chromium. Every request the hub's server answers is recorded with its CORS headers.
/// </summary>
public sealed class SignalRFixture : IAsyncLifetime
{
    /// <summary>The cookie the pages set, which credentialed requests to the hub carry.</summary>
    public const string Cookie = "corskit-session";

    private readonly ConcurrentQueue<RecordedExchange> _exchanges = new();
    private readonly List<WebApplication> _servers = [];

    /// <summary>Why the tests cannot run (no Chromium, no client), or <see langword="null"/>.</summary>
    public string? MissingReason { get; private set; }

    /// <summary>The hub's address, such as <c>http://127.0.0.1:41234/chat</c>.</summary>
    public string HubUrl { get; private set; } = string.Empty;

    /// <summary>The page origin the policy allows.</summary>
    public string AllowedPage { get; private set; } = string.Empty;

    /// <summary>A page origin the policy refuses.</summary>
    public string RefusedPage { get; private set; } = string.Empty;

    /// <summary>The browser.</summary>
    public ChromiumSession? Chromium { get; private set; }

    /// <summary>The requests the hub's server answered whose query names <paramref name="test"/> (each test gives its own).</summary>
    /// <param name="test">The value of the <c>test</c> query parameter.</param>
    /// <param name="until">What the list must hold: an exchange is recorded once its response completed, which can trail
    /// what the browser saw by a moment; after 10 seconds the list is returned as it is.</param>
    public async Task<IReadOnlyList<RecordedExchange>> ExchangesOfAsync(string test, Func<IReadOnlyList<RecordedExchange>, bool> until)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var exchanges = _exchanges.Where(e => e.Query.Contains($"test={test}&", StringComparison.Ordinal) || e.Query.EndsWith($"test={test}", StringComparison.Ordinal)).ToList();
            if (until(exchanges) || DateTime.UtcNow >= deadline)
            {
                return exchanges;
            }

            await Task.Delay(10);
        }
    }

    public async Task InitializeAsync()
    {
        MissingReason = RealEngine.MissingReason(BrowserEngine.Chromium) ?? await SignalRClient.EnsureInstalledAsync();
        if (MissingReason is not null)
        {
            return;
        }

        var allowed = await StartPageAsync();
        var refused = await StartPageAsync();
        AllowedPage = LoopbackServer.Address(allowed).GetLeftPart(UriPartial.Authority);
        RefusedPage = LoopbackServer.Address(refused).GetLeftPart(UriPartial.Authority);
        var hub = await LoopbackServer.StartAsync(
            app =>
            {
                app.UseCorsKit();
                app.Use(Record);           // before routing: CorsKit's preflight twins short-circuit it
                app.UseRouting();
                app.UseWebSocketOrigins("spa");
                app.MapHub<EchoHub>("/chat").WithCors("spa");
            },
            builder =>
            {
                // The SignalR client's own headers on negotiate and long polling make those requests preflighted; long
                // polling's stop sends DELETE.
                builder.Services.AddCorsKit(o => o.AddPolicy("spa", p => p
                    .WithOrigins(AllowedPage)
                    .WithMethods("GET", "POST", "DELETE")
                    .WithHeaders("X-Requested-With", "X-SignalR-User-Agent")
                    .AllowCredentials()));
                builder.Services.AddSignalR();
            });
        _servers.Add(hub);
        HubUrl = $"{LoopbackServer.Address(hub).GetLeftPart(UriPartial.Authority)}/chat";
        Chromium = await ChromiumSession.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        if (Chromium is not null)
        {
            await Chromium.DisposeAsync();
        }

        foreach (var server in _servers)
        {
            await server.StopAsync();
            await server.DisposeAsync();
        }
    }

    // A page origin: the page, the client script, and a session cookie (host-only, for 127.0.0.1: any port's requests
    // carry it when they are credentialed).
    private async Task<WebApplication> StartPageAsync()
    {
        var page = await LoopbackServer.StartAsync(app =>
        {
            app.MapGet("/", (HttpContext context) =>
            {
                context.Response.Cookies.Append(Cookie, "signed-in", new CookieOptions { Path = "/", SameSite = SameSiteMode.Lax, HttpOnly = true });
                return Results.Content("<!doctype html><title>SignalR page</title><script src=\"/signalr.js\"></script>", "text/html; charset=utf-8");
            });
            app.MapGet("/signalr.js", () => Results.File(SignalRClient.BrowserScript, "text/javascript; charset=utf-8"));
        });
        _servers.Add(page);
        return page;
    }

    // Records each request with the headers its response went out with: read once the response completed, after
    // CorsKit (outermost) wrote its headers as the response started.
    private Task Record(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        var requestHeaders = request.Headers
            .Where(h => h.Key is "Origin" || h.Key.StartsWith("Access-Control-Request-", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        context.Response.OnCompleted(() =>
        {
            var corsHeaders = context.Response.Headers
                .Where(h => h.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase) || h.Key.Equals("Vary", StringComparison.OrdinalIgnoreCase))
                .ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            _exchanges.Enqueue(new RecordedExchange(request.Method, request.Path.Value ?? "/", request.QueryString.Value ?? string.Empty, requestHeaders, context.Response.StatusCode, corsHeaders));
            return Task.CompletedTask;
        });
        return next(context);
    }
}

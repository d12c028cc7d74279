using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CorsKit.Cli.Tests;

/// <summary>
/// A real server on 127.0.0.1 whose routes answer CORS right and wrong on purpose, written by hand (no CORS library),
/// as misconfigured servers in the wild do. Started once per test class.
/// </summary>
public sealed class MisconfiguredServer : IAsyncLifetime
{
    public const string Page = "https://app.example.com";
    private WebApplication _app = null!;

    public string BaseUrl { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        _app = builder.Build();
        Map(_app);
        await _app.StartAsync();
        BaseUrl = _app.Urls.Single().TrimEnd('/');
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    public string Url(string path) => BaseUrl + path;

    private static void Map(WebApplication app)
    {
        // Right: echo the page origin with credentials, answer preflights for PUT + x-token, expose X-Total-Count.
        app.MapMethods("/ok", ["GET", "PUT", "OPTIONS"], (HttpContext c) =>
        {
            Allow(c, credentials: true);
            c.Response.Headers.Vary = "Origin";
            if (c.Request.Method == "OPTIONS")
            {
                c.Response.Headers.AccessControlAllowMethods = "PUT";
                c.Response.Headers.AccessControlAllowHeaders = "x-token";
                c.Response.Headers.AccessControlMaxAge = "600";
                return Results.NoContent();
            }

            c.Response.Headers["X-Total-Count"] = "2";
            c.Response.Headers.AccessControlExposeHeaders = "X-Total-Count";
            return Results.Text("[1,2]", "application/json");
        });
        app.MapGet("/missing", () => "no cors headers");
        app.MapGet("/two-values", (HttpContext c) =>
        {
            c.Response.Headers.Append("Access-Control-Allow-Origin", Page);
            c.Response.Headers.Append("Access-Control-Allow-Origin", Page);
            return "twice";
        });
        app.MapGet("/star-credentials", (HttpContext c) =>
        {
            c.Response.Headers.AccessControlAllowOrigin = "*";
            c.Response.Headers.AccessControlAllowCredentials = "true";
            return "star";
        });
        app.MapGet("/capital-true", (HttpContext c) =>
        {
            c.Response.Headers.AccessControlAllowOrigin = Page;
            c.Response.Headers.AccessControlAllowCredentials = "True";
            return "True";
        });
        app.MapGet("/error-500", () => Results.Text("Traceback: KeyError: 'user_id'", statusCode: 500));
        app.MapGet("/allowed-500", (HttpContext c) =>
        {
            Allow(c, credentials: false);
            return Results.Text("database is down", statusCode: 500);
        });
        app.MapGet("/prefix-check", (HttpContext c) =>
        {
            // The bug scan's CORS002 is for: an allow-list checked with StartsWith.
            var origin = c.Request.Headers.Origin.ToString();
            if (origin.StartsWith(Page, StringComparison.Ordinal))
            {
                c.Response.Headers.AccessControlAllowOrigin = origin;
            }

            c.Response.Headers.Vary = "Origin";
            return "prefix";
        });
        app.MapMethods("/preflight-302", ["OPTIONS"], () => Results.Redirect("/login"));
        // "/preflight-404": nothing is mapped there, so the preflight gets a bare 404.
        app.MapMethods("/get-post", ["OPTIONS"], (HttpContext c) =>
        {
            Allow(c, credentials: false);
            c.Response.Headers.AccessControlAllowMethods = "GET POST";
            return Results.NoContent();
        });
        app.MapMethods("/lowercase", ["OPTIONS", "PUT", "patch"], (HttpContext c) =>
        {
            Allow(c, credentials: false);
            c.Response.Headers.AccessControlAllowMethods = "put, patch";
            return c.Request.Method == "OPTIONS" ? Results.NoContent() : Results.Text("done");
        });
        app.MapMethods("/authorization-star", ["OPTIONS", "GET"], (HttpContext c) =>
        {
            c.Response.Headers.AccessControlAllowOrigin = "*";
            if (c.Request.Method == "OPTIONS")
            {
                c.Response.Headers.AccessControlAllowHeaders = "*";
                return Results.NoContent();
            }

            return Results.Text("secret");
        });
        app.MapGet("/expose-star-credentials", (HttpContext c) =>
        {
            Allow(c, credentials: true);
            c.Response.Headers.AccessControlExposeHeaders = "*";
            c.Response.Headers["X-Request-Id"] = "42";
            return "exposed?";
        });
        app.MapGet("/reflect", (HttpContext c) =>
        {
            c.Response.Headers.AccessControlAllowOrigin = c.Request.Headers.Origin.ToString();
            c.Response.Headers.AccessControlAllowCredentials = "true";
            c.Response.Headers.CacheControl = "public, max-age=60";
            return "reflected";
        });
        app.MapGet("/no-vary", (HttpContext c) =>
        {
            if (c.Request.Headers.Origin == Page)
            {
                c.Response.Headers.AccessControlAllowOrigin = Page;
            }

            c.Response.Headers.CacheControl = "public, max-age=60";
            return "cacheable";
        });
        app.MapGet("/redirect-away", (HttpContext c) =>
        {
            Allow(c, credentials: false);
            return Results.Redirect("http://localhost:" + c.Connection.LocalPort + "/star");
        });
        app.MapGet("/star", (HttpContext c) =>
        {
            c.Response.Headers.AccessControlAllowOrigin = "*";
            return "star";
        });
        app.MapMethods("/max-age-day", ["OPTIONS", "PUT"], (HttpContext c) =>
        {
            Allow(c, credentials: false);
            c.Response.Headers.AccessControlAllowMethods = "PUT";
            c.Response.Headers.AccessControlMaxAge = "86400";
            return c.Request.Method == "OPTIONS" ? Results.NoContent() : Results.Text("cached a day?");
        });
    }

    private static void Allow(HttpContext c, bool credentials)
    {
        c.Response.Headers.AccessControlAllowOrigin = Page;
        if (credentials)
        {
            c.Response.Headers.AccessControlAllowCredentials = "true";
        }
    }
}

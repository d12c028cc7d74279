using System.Text.Encodings.Web;
using CorsKit.AspNetCore;
using CorsKit.Demo.Playground;
using CorsKit.Origins;
using OpenTelemetry.Metrics;

namespace CorsKit.Demo;

/// <summary>Builds the demo application; the tests host the very same app on a test server.</summary>
public static class DemoApp
{
    public const string DefaultApiUrl = "http://127.0.0.1:5080";
    public const string DefaultPageUrl = "http://127.0.0.1:5081";

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? customize = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Configuration.AddCommandLine(args, new Dictionary<string, string>
        {
            ["--api"] = "Demo:ApiUrl",
            ["--page"] = "Demo:PageUrl",
            ["--serve-page"] = "Demo:ServePage",
            ["--redis"] = "Demo:Redis",
            ["--redis-max-staleness"] = "Demo:RedisMaxStalenessSeconds",
        });

        var apiUrl = builder.Configuration["Demo:ApiUrl"] ?? DefaultApiUrl;
        var pageUrl = builder.Configuration["Demo:PageUrl"] ?? DefaultPageUrl;
        var pageOrigin = Origin.Parse(pageUrl).Serialized;
        // --serve-page false: the page origin is still the one the policies allow, but nothing listens on it
        // (tests and scripts that run several demos at once would otherwise compete for its port).
        var servePage = !string.Equals(builder.Configuration["Demo:ServePage"], "false", StringComparison.OrdinalIgnoreCase);
        builder.WebHost.UseUrls(servePage ? [apiUrl, pageUrl] : [apiUrl]);
        builder.Services.AddCorsKitPlayground();
        var tenants = TenantRoutes.FromConfiguration(builder);

        builder.Services.AddCorsKit(options =>
        {
            options.AddDefaultPolicy(policy => policy
                .WithOrigins(pageOrigin)
                .WithMethods("GET", "POST")
                .WithHeaders("content-type"));

            options.AddPolicy("items", policy => policy
                .WithOrigins(pageOrigin)
                .WithMethods("GET", "PUT", "DELETE")
                .WithHeaders("X-Token", "Content-Type")
                .AllowCredentials()
                .WithExposedHeaders("X-Total-Count")
                .WithMaxAge(TimeSpan.FromSeconds(600)));

            options.AddPolicy("public", policy => policy.AllowAnyOrigin());
            tenants?.AddPolicy(options);
        });

        // CorsKit's meter, exported for Prometheus by OpenTelemetry at /metrics on the API port.
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter("CorsKit").AddPrometheusExporter());

        customize?.Invoke(builder);
        var app = builder.Build();
        app.UseCorsKit();
        app.MapCorsKitPlayground(apiUrl, pageUrl);
        app.MapPrometheusScrapingEndpoint().RequireHost($"*:{new Uri(apiUrl).Port}").WithoutCors();

        // Flask's @app.after_request: every response, errors and preflights included.
        app.AfterRequest(context => context.Response.Headers["X-Served-By"] = "CorsKit.Demo");

        // Flask's make_response(render_template(...)) then resp.headers[...] = ...: a header on one result.
        // The greeting changes nothing on the server, so a cross-site form post needs no antiforgery token here.
        // The form field is optional, and so is the form: an empty POST (no body, no Content-Type) greets the World, as
        // the seed's route (which takes no input) does. [FromForm] would answer such a POST with a 400.
        app.MapPost("/hello", async (HttpRequest request) =>
        {
            var name = request.HasFormContentType ? (await request.ReadFormAsync())["name"].FirstOrDefault() : null;
            return TypedResults.Content(HelloPage(string.IsNullOrEmpty(name) ? "World" : name), "text/html; charset=utf-8")
                .WithHeader("X-Something", "A value");
        });

        // Flask's flask.Response("Foo bar baz") with a header: a response built as a value.
        app.MapGet("/", () =>
        {
            var reply = new Reply("Foo bar baz");
            reply.Headers["X-Foo"] = "bar";
            return reply;
        });

        var items = new ItemStore();
        var api = app.MapGroup("/api");
        var itemRoutes = api.MapGroup("/items").WithCors("items");
        itemRoutes.MapGet("/", (HttpResponse response) =>
        {
            var all = items.All();
            response.Headers["X-Total-Count"] = all.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Results.Ok(all);
        });
        itemRoutes.MapPut("/", (Item item) => Results.Ok(items.Put(item)));
        itemRoutes.MapDelete("/", () =>
        {
            items.Clear();
            return Results.NoContent();
        });

        api.MapGet("/public", () => Results.Ok(new { message = "Anyone may read this." })).WithCors("public");
        tenants?.Map(app);

        // Flask's classic failure: a handler uses a value that is not there. The 500 still carries the CORS headers (so the
        // browser shows the 500, not a CORS error) and X-Served-By; in Development the body shows the exception.
        app.MapGet("/boom", () => items.Find("unicorn")!.Name);

        return app;
    }

    private static string HelloPage(string name) =>
        $"<!doctype html>\n<title>Hello</title>\n<h1>Hello, {HtmlEncoder.Default.Encode(name)}!</h1>\n";
}

public sealed record Item(string Name);

/// <summary>A tiny thread-safe in-memory list for the items routes.</summary>
internal sealed class ItemStore
{
    private readonly Lock _gate = new();
    private readonly List<Item> _items = [new("apple"), new("pear")];

    public IReadOnlyList<Item> All()
    {
        lock (_gate)
        {
            return [.. _items];
        }
    }

    public Item? Find(string name)
    {
        lock (_gate)
        {
            return _items.Find(item => item.Name == name);
        }
    }

    public Item Put(Item item)
    {
        lock (_gate)
        {
            _items.Add(item);
            return item;
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _items.Clear();
        }
    }
}

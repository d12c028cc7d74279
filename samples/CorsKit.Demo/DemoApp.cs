using CorsKit.Demo.Playground;
using CorsKit.Origins;

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
        });

        var apiUrl = builder.Configuration["Demo:ApiUrl"] ?? DefaultApiUrl;
        var pageUrl = builder.Configuration["Demo:PageUrl"] ?? DefaultPageUrl;
        var pageOrigin = Origin.Parse(pageUrl).Serialized;
        builder.WebHost.UseUrls(apiUrl, pageUrl);
        builder.Services.AddCorsKitPlayground();

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
        });

        customize?.Invoke(builder);
        var app = builder.Build();
        app.UseCorsKit();
        app.MapCorsKitPlayground(apiUrl, pageUrl);

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

        return app;
    }
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

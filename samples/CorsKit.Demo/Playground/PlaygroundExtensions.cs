using System.Reflection;
using CorsKit.AspNetCore.Metadata;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CorsKit.Demo.Playground;

/// <summary>
/// The CORS playground: a page served on the page origin only (plain HTML, CSS and JavaScript embedded in this assembly)
/// that runs a request against the API in the browser, and a JSON API that runs CorsKit's browser model over the headers
/// that were really exchanged, so the page can show both side by side.
/// </summary>
public static class PlaygroundExtensions
{
    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
    };

    /// <summary>Registers what the playground needs: the exchange recorder in front of CorsKit.</summary>
    /// <param name="services">The services.</param>
    public static IServiceCollection AddCorsKitPlayground(this IServiceCollection services) => services.AddExchangeRecording();

    /// <summary>Maps the playground on <paramref name="pageUrl"/>'s port: <c>/</c>, its assets and <c>/playground/api/*</c>.</summary>
    /// <param name="app">The app.</param>
    /// <param name="apiUrl">The API's base URL, which the page calls.</param>
    /// <param name="pageUrl">The page's URL; only its port serves the playground.</param>
    public static WebApplication MapCorsKitPlayground(this WebApplication app, string apiUrl, string pageUrl)
    {
        ArgumentNullException.ThrowIfNull(app);
        var api = new Uri(apiUrl).GetLeftPart(UriPartial.Authority);
        var page = new Uri(pageUrl);
        var playground = app.MapGroup(string.Empty)
            .RequireHost($"*:{page.Port}")
            .WithoutCors()
            .WithMetadata(PlaygroundEndpointMetadata.Instance)
            .ExcludeFromDescription();

        playground.MapGet("/", () => Asset("index.html"));
        playground.MapGet("/playground/{file}", (string file) => Asset(file));
        playground.MapGet("/playground/api/config", (EndpointDataSource endpoints) =>
            new PlaygroundConfig(api, page.GetLeftPart(UriPartial.Authority), Routes(endpoints)));
        playground.MapPost("/playground/api/explain", (ExplainRequest request, ExchangeRecorder recorder, CancellationToken cancellationToken) =>
            PlaygroundExplainer.ExplainAsync(request, recorder, cancellationToken));
        return app;
    }

    private static Results<FileStreamHttpResult, NotFound> Asset(string file)
    {
        var extension = Path.GetExtension(file);
        var stream = ContentTypes.TryGetValue(extension, out var contentType)
            ? Assembly.GetExecutingAssembly().GetManifestResourceStream("playground/" + file)
            : null;
        return stream is null ? TypedResults.NotFound() : TypedResults.Stream(stream, contentType);
    }

    private static List<RouteView> Routes(EndpointDataSource endpoints) =>
    [
        .. endpoints.Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<PlaygroundEndpointMetadata>() is null && e.RoutePattern.RawText is not null)
            .GroupBy(e => "/" + e.RoutePattern.RawText!.Trim('/'))
            .Select(g => new RouteView(
                g.Key,
                [.. g.SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Distinct(StringComparer.Ordinal)],
                PolicyOf(g.First())))
            .OrderBy(r => r.Path, StringComparer.Ordinal),
    ];

    // The most specific CorsKit metadata wins, as in CorsKit's own resolution.
    private static string PolicyOf(Endpoint endpoint) => endpoint.Metadata.GetMetadata<ICorsKitMetadata>() switch
    {
        NoCorsMetadata => "none",
        CorsPolicyMetadata { PolicyName: { } name } => name,
        CorsPolicyMetadata => "inline",
        _ => "default",
    };
}

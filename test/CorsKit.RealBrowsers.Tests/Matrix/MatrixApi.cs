using System.Text.Json;
using CorsKit.AspNetCore;
using CorsKit.Demo.Playground;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Primitives;

namespace CorsKit.RealBrowsers.Tests.Matrix;

/// <summary>
/// The APIs the matrix calls: CorsKit with one policy per route group and the same handlers in each group; and, on a
/// server of its own without CorsKit (which would have the last word on its headers), a <c>/raw</c> route that answers
/// with whatever headers its query asks for (deliberately broken servers).
/// Requests tagged with <c>?corskit-run=</c> are recorded.
/// </summary>
internal static class MatrixApi
{
    /// <summary>The cookie the browser holds for <c>/creds</c> on the API host.</summary>
    public const string Cookie = "session=s3cr3t";

    // Query names of /raw and the headers they set; "pf-" before a name sets it on the preflight response only.
    private static readonly (string Query, string Header)[] RawHeaders =
    [
        ("acao", "Access-Control-Allow-Origin"),
        ("acac", "Access-Control-Allow-Credentials"),
        ("acam", "Access-Control-Allow-Methods"),
        ("acah", "Access-Control-Allow-Headers"),
        ("aceh", "Access-Control-Expose-Headers"),
        ("acma", "Access-Control-Max-Age"),
        ("location", "Location"),
    ];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The policies, for the page origins <paramref name="main"/> (allowed) and its port.</summary>
    /// <param name="options">CorsKit's options.</param>
    /// <param name="main">The main page origin, such as <c>http://127.0.0.1:41234</c>.</param>
    public static void AddPolicies(CorsKitOptions options, Uri main)
    {
        var origin = main.GetLeftPart(UriPartial.Authority);
        var port = main.Port;
        options.AddPolicy("exact", p => p.WithOrigins(origin).WithMethods("GET", "POST", "PUT", "PATCH").WithHeaders("X-Token", "Content-Type"));
        options.AddPolicy("credentials", p => p.WithOrigins(origin).WithMethods("GET", "PUT", "DELETE")
            .WithHeaders("X-Token", "Content-Type", "Authorization").AllowCredentials().WithExposedHeaders("X-Total-Count"));
        options.AddPolicy("public", p => p.AllowAnyOrigin().AllowAnyMethod().AllowAnyHeader().WithExposedHeaders("*"));
        options.AddPolicy("wildcard", p => p.WithOrigins($"http://*.localhost:{port}").SetIsOriginAllowedToAllowWildcardSubdomains().WithMethods("PUT").WithHeaders("X-Token"));
        options.AddPolicy("regex", p => p.WithOriginRegex($@"http://(127\.0\.0\.1|localhost):{port}"));
        options.AddPolicy("opaque", p => p.WithOrigins("null").WithMethods("PUT").WithHeaders("X-Token"));
        options.AddPolicy("maxage", p => p.WithOrigins(origin).WithMethods("PUT").WithHeaders("X-Token", "Content-Type").WithMaxAge(TimeSpan.FromSeconds(600)));
        options.AddPolicy("maxage-zero", p => p.WithOrigins(origin).WithMethods("PUT").WithHeaders("X-Token").WithMaxAge(TimeSpan.Zero));
    }

    /// <summary>Maps the routes: <c>/{group}/...</c> for each policy (<c>/account</c> is credentials without the cookie), <c>/nocors</c>.</summary>
    /// <param name="app">The app.</param>
    public static void Map(WebApplication app)
    {
        foreach (var (prefix, policy) in new[]
        {
            ("exact", "exact"), ("creds", "credentials"), ("account", "credentials"), ("public", "public"), ("wildcard", "wildcard"),
            ("regex", "regex"), ("opaque", "opaque"), ("maxage", "maxage"), ("maxage-zero", "maxage-zero"),
        })
        {
            MapHandlers(app.MapGroup("/" + prefix).WithCors(policy), prefix);
        }

        MapHandlers(app.MapGroup("/nocors").WithoutCors(), "nocors");
    }

    /// <summary>Maps <c>/raw</c>, on a server without CorsKit.</summary>
    /// <param name="app">The app.</param>
    public static void MapRaw(WebApplication app) => app.Map("/raw/{**rest}", RawAsync);

    private static void MapHandlers(RouteGroupBuilder group, string route)
    {
        group.Map("/throws", Throw);
        group.Map("/self-acao", (HttpContext context) =>
        {
            // As Flask tutorials teach: the handler writes the header itself; CorsKit replaces it with the policy's answer.
            context.Response.Headers.AccessControlAllowOrigin = "*";
            return EchoAsync(context, route);
        });
        group.Map("/self-acao-origin", (HttpContext context) =>
        {
            context.Response.Headers.AccessControlAllowOrigin = context.Request.Headers.Origin;
            return EchoAsync(context, route);
        });
        group.Map("/redirect", Redirect);
        group.Map("/{**rest}", (HttpContext context) => EchoAsync(context, route));
    }

    private static IResult Throw() => throw new InvalidOperationException("the handler failed");

    /// <summary>Redirects to <c>?to=</c> (a path on the API or an absolute URL) with <c>?status=</c> (default 302), keeping the run id.</summary>
    private static IResult Redirect(HttpContext context)
    {
        var query = context.Request.Query;
        var to = query["to"].ToString();
        var location = $"{to}{(to.Contains('?', StringComparison.Ordinal) ? '&' : '?')}{ExchangeRecorder.QueryParameter}={Uri.EscapeDataString(query[ExchangeRecorder.QueryParameter].ToString())}";
        context.Response.StatusCode = int.TryParse(query["status"], out var status) ? status : StatusCodes.Status302Found;
        context.Response.Headers.Location = location;
        return Results.Empty;
    }

    /// <summary>Answers with the CORS headers the query names (each repeated name a separate header line) and the echo body.</summary>
    private static async Task RawAsync(HttpContext context)
    {
        var request = context.Request;
        var preflight = HttpMethods.IsOptions(request.Method) && request.Headers.AccessControlRequestMethod.Count > 0;
        var response = context.Response;
        foreach (var (query, header) in RawHeaders)
        {
            var values = Pick(request.Query, query, preflight);
            if (values.Count > 0)
            {
                response.Headers[header] = values;
            }
        }

        var status = Pick(request.Query, "status", preflight);
        response.StatusCode = status.Count > 0 ? int.Parse(status.ToString(), System.Globalization.CultureInfo.InvariantCulture) : preflight ? 204 : 200;
        if (!preflight)
        {
            await EchoAsync(context, "raw");
        }
    }

    private static StringValues Pick(IQueryCollection query, string name, bool preflight) =>
        preflight && query.TryGetValue("pf-" + name, out var preflightOnly) ? preflightOnly : query[name];

    /// <summary>The echo: what the server saw (method, origin, cookie, body), with X-Total-Count and X-Secret set.</summary>
    private static async Task EchoAsync(HttpContext context, string route)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        context.Response.Headers["X-Total-Count"] = "2";
        context.Response.Headers["X-Secret"] = "hidden";
        var request = context.Request;
        var echo = new Echo(route, request.Method, request.Headers.Origin.Count > 0 ? request.Headers.Origin.ToString() : null, request.Headers.Cookie.Count > 0 ? request.Headers.Cookie.ToString() : null, body);
        await context.Response.WriteAsJsonAsync(echo, Json, context.RequestAborted);
    }

    private sealed record Echo(string Route, string Method, string? Origin, string? Cookie, string Body);
}

using System.Globalization;
using CorsKit.AspNetCore;
using CorsKit.Redis;
using CorsKit.Sources;
using StackExchange.Redis;

namespace CorsKit.Demo;

/// <summary>
/// Opt-in with <c>--redis host:port</c>: <c>/tenants/{tenant}/data</c> allows the origins Redis lists for its tenant
/// (<c>corskit:origins:demo:{tenant}</c>), kept current on every instance through pub/sub. <c>POST</c> and <c>DELETE</c> on
/// <c>/tenants/{tenant}/origins?origin=...</c> change them (an admin API, for trying it out: no CORS, no authentication;
/// never expose one like it), as <c>redis-cli SADD</c> plus <c>PUBLISH</c> would. <c>/health</c> reports the source.
/// </summary>
internal sealed class TenantRoutes(OriginSource source, RedisOriginStore store)
{
    public const string PolicyName = "tenants";

    public static TenantRoutes? FromConfiguration(WebApplicationBuilder builder)
    {
        if (builder.Configuration["Demo:Redis"] is not { Length: > 0 } redisAddress)
        {
            return null;
        }

        var staleness = builder.Configuration["Demo:RedisMaxStalenessSeconds"] is { } seconds
            ? TimeSpan.FromSeconds(double.Parse(seconds, CultureInfo.InvariantCulture))
            : new OriginSourceOptions().MaxStaleness;
        var redis = RedisOriginStore.ConnectAsync(redisAddress).GetAwaiter().GetResult();
        builder.Services.AddSingleton<IConnectionMultiplexer>(redis); // disposed with the app
        builder.Services.AddHealthChecks().AddCorsKitOriginSources();
        var store = new RedisOriginStore(redis, "demo");
        return new TenantRoutes(new OriginSource("demo", store, new OriginSourceOptions { MaxStaleness = staleness }), store);
    }

    public void AddPolicy(CorsKitOptions options) =>
        options.AddPolicy(PolicyName, policy => policy
            .WithOriginsFrom(source, OriginTenant.FromRouteValue("tenant"))
            .WithMethods("GET", "PUT"));

    public void Map(WebApplication app)
    {
        app.MapGet("/tenants/{tenant}/data", (string tenant) => Results.Ok(new { tenant, message = $"data of {tenant}" })).WithCors(PolicyName);

        var admin = app.MapGroup("/tenants/{tenant}/origins").WithoutCors();
        admin.MapGet("/", (string tenant) => Results.Ok(source.OriginsOf(tenant).Order(StringComparer.Ordinal)));
        admin.MapPost("/", (string tenant, string origin) => ChangeAsync(() => store.AddAsync(tenant, origin)));
        admin.MapDelete("/", (string tenant, string origin) => ChangeAsync(() => store.RemoveAsync(tenant, origin)));
        app.MapHealthChecks("/health").WithoutCors();
    }

    private static async Task<IResult> ChangeAsync(Func<Task> change)
    {
        try
        {
            await change();
            return Results.NoContent();
        }
        catch (ArgumentException ex)
        {
            return Results.Problem(ex.Message, statusCode: StatusCodes.Status400BadRequest);
        }
        catch (RedisException ex)
        {
            return Results.Problem(ex.Message, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}

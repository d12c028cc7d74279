using CorsKit.Policies;

namespace CorsKit.E2eHost;

/// <summary>
/// The bystander host (<c>--mode bystander</c>, driven by <c>bench/bystander.sh</c>): CorsKit with two routes whose
/// user code blocks, and two bystander routes that should not care.
/// - <c>GET /plain</c>: no CORS;
/// - <c>GET /static</c>: a static policy (the app origin only);
/// - <c>GET /hang/predicate</c>: the app origin, plus an origin predicate that blocks its thread for <c>--hang-ms</c>
///   (default 30,000) and refuses; CorsKit asks the predicate only for origins no other entry allows, and does not
///   remember its answers, so every distinct unknown origin is a new hang;
/// - <c>GET /hang/provider</c>: a policy provider that, for any origin but the app origin, blocks the request's thread
///   for <c>--hang-ms</c> before answering synchronously (the mistake <c>ICorsKitPolicyProvider</c>'s docs warn of).
/// Blocking is <c>Thread.Sleep</c> on purpose: it is what a synchronous database or HTTP call in user code does to a
/// thread. No log output.
/// </summary>
internal static class BystanderApp
{
    private const string PredicatePolicy = "hanging-predicate";
    private const string ProviderPolicy = "blocking-provider";
    private const string StaticPolicy = "static";

    public static WebApplication Build(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var hang = TimeSpan.FromMilliseconds(builder.Configuration.GetValue("hang-ms", 30_000));
        var provided = new CorsPolicyBuilder("provided").WithOrigins(E2eApp.AppOrigin).Build();
        builder.Services.AddCorsKit(o => o
            .AddPolicy(StaticPolicy, p => p.WithOrigins(E2eApp.AppOrigin))
            .AddPolicy(PredicatePolicy, p => p.WithOrigins(E2eApp.AppOrigin).WithOriginPredicate(_ =>
            {
                Thread.Sleep(hang);
                return false;
            }))
            .AddPolicyProvider(ProviderPolicy, (context, _) =>
            {
                if (!string.Equals(context.Request.Headers.Origin, E2eApp.AppOrigin, StringComparison.Ordinal))
                {
                    Thread.Sleep(hang);
                }

                return ValueTask.FromResult<CorsPolicy?>(provided);
            }));

        var app = builder.Build();
        app.UseCorsKit();
        string[] items = ["apple", "pear"];
        app.MapGet("/plain", () => items);
        app.MapGet("/static", () => items).WithCors(StaticPolicy);
        app.MapGet("/hang/predicate", () => items).WithCors(PredicatePolicy);
        app.MapGet("/hang/provider", () => items).WithCors(ProviderPolicy);
        return app;
    }
}

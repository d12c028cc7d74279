namespace CorsKit.E2eHost;

/// <summary>
/// The end-to-end host: one API on Kestrel, with no CORS, Microsoft's CORS or CorsKit, all with the README's policy
/// (the same one bench/e2e/flask_app.py gives flask-cors). Routes: <c>GET|PUT /items</c>, and <c>GET /error</c>, which
/// throws. No log output in any mode, so the console is not what is measured. <c>--mode bystander</c> is another app
/// (<see cref="BystanderApp"/>).
/// </summary>
internal static class E2eApp
{
    public const string AppOrigin = "https://app.example.com";

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Logging.ClearProviders();
        var mode = builder.Configuration["mode"] ?? "corskit";
        if (mode == "bystander")
        {
            return BystanderApp.Build(builder);
        }

        switch (mode)
        {
            case "none":
                break;
            case "microsoft":
                builder.Services.AddCors(o => o.AddDefaultPolicy(p => p
                    .WithOrigins(AppOrigin)
                    .WithMethods("PUT", "DELETE")
                    .WithHeaders("X-Token", "Content-Type")
                    .AllowCredentials()
                    .WithExposedHeaders("X-Total-Count")
                    .SetPreflightMaxAge(TimeSpan.FromMinutes(10))));
                break;
            case "corskit":
                builder.Services.AddCorsKit(o => o.AddDefaultPolicy(p => p
                    .WithOrigins(AppOrigin)
                    .WithMethods("PUT", "DELETE")
                    .WithHeaders("X-Token", "Content-Type")
                    .AllowCredentials()
                    .WithExposedHeaders("X-Total-Count")
                    .WithMaxAge(TimeSpan.FromMinutes(10))));
                break;
            default:
                throw new ArgumentException($"--mode {mode}: use none, microsoft, corskit or bystander", nameof(args));
        }

        var app = builder.Build();
        if (mode == "microsoft")
        {
            app.UseCors();
        }
        else if (mode == "corskit")
        {
            app.UseCorsKit();
        }

        string[] items = ["apple", "pear"];
        app.MapGet("/items", () => items);
        app.MapPut("/items", (string[] body) => body);
        app.MapGet("/error", string () => throw new InvalidOperationException("the error route failed, as it always does"));
        return app;
    }
}

using CorsKit.AspNetCore.Tests.Infrastructure;
using CorsKit.Sources;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace CorsKit.AspNetCore.Tests.Origins;

/// <summary>
/// Hosts in one process syncing one origin source (two WebApplications, a test host beside the app, a host rebuilt
/// in-process), each on a clock of its own, so its retry, resync and staleness timers fire only when a test moves it.
/// </summary>
internal static class SharedSourceHosts
{
    public const string Acme = "https://app.acme.example";

    /// <summary>Stale for 60 s, a full read every 30 s, a retry every 10 s.</summary>
    public static readonly OriginSourceOptions Options = new()
    {
        MaxStaleness = TimeSpan.FromSeconds(60),
        ResyncInterval = TimeSpan.FromSeconds(30),
        RetryInterval = TimeSpan.FromSeconds(10),
    };

    /// <summary>A host whose default policy draws from <paramref name="source"/>, serving <c>GET /plain</c>, on <paramref name="time"/>.</summary>
    public static Task<TestApp> StartAsync(OriginSource source, TimeProvider time) =>
        TestApp.StartAsync(
            cors => cors.AddDefaultPolicy(p => p.WithOriginsFrom(source)),
            web => web.MapGet("/plain", () => "plain"),
            before: b => b.Services.AddSingleton(time));
}

using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CorsKit.RealBrowsers.Tests.Infrastructure;

/// <summary>Kestrel on 127.0.0.1 only, stopped by its owner's dispose and, whatever happens, after <see cref="MaxLifetime"/>.</summary>
public static class LoopbackServer
{
    /// <summary>The longest a test server lives.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(10);

    /// <summary>Builds, maps and starts an app on <c>http://127.0.0.1:0</c> (a free port the system picks).</summary>
    /// <param name="map">Maps the app's endpoints.</param>
    /// <param name="configure">Registers services before the app is built.</param>
    public static async Task<WebApplication> StartAsync(Action<WebApplication> map, Action<WebApplicationBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(map);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = Environments.Production,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        configure?.Invoke(builder);
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        StopAfterMaxLifetime(app);
        return app;
    }

    /// <summary>Stops <paramref name="app"/> after <see cref="MaxLifetime"/> unless it stopped before.</summary>
    /// <param name="app">A started app.</param>
    public static void StopAfterMaxLifetime(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var stopping = app.Lifetime.ApplicationStopping;
        _ = Task.Delay(MaxLifetime, stopping).ContinueWith(
            t => app.Lifetime.StopApplication(),
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnRanToCompletion,
            TaskScheduler.Default);
    }

    /// <summary>The address an app listens on, such as <c>http://127.0.0.1:41234</c>.</summary>
    /// <param name="app">A started app.</param>
    public static Uri Address(WebApplication app) => new(app.Urls.Single());

    /// <summary>A port that was free a moment ago on 127.0.0.1, for apps that must know their addresses before they start.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

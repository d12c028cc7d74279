using CorsKit.AspNetCore;
using CorsKit.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CorsKit.Reliability.Tests.Infrastructure;

/// <summary>
/// A real ASP.NET Core app on Kestrel, bound to 127.0.0.1 on a free port chosen by the OS, with captured logs.
/// It lives in the test process and is stopped (within a bounded time) when disposed.
/// </summary>
public sealed class KestrelApp : IAsyncDisposable
{
    private KestrelApp(WebApplication app, LogSink logs)
    {
        App = app;
        Logs = logs;
        BaseAddress = new Uri(app.Urls.Single());
        Client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public WebApplication App { get; }

    public LogSink Logs { get; }

    public Uri BaseAddress { get; }

    public int Port => BaseAddress.Port;

    public HttpClient Client { get; }

    /// <summary>
    /// Waits (at most 15 s) until the log satisfies <paramref name="done"/>, then a little longer so that a line
    /// too many would show: the server logs an aborted or failed request on its own thread, after the client has
    /// already seen the connection end, and on a loaded machine that can take more than a fixed pause.
    /// </summary>
    public async Task WaitForLogAsync(Func<IReadOnlyList<LogEntry>, bool> done)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!done(Logs.Entries) && clock.Elapsed < TimeSpan.FromSeconds(15))
        {
            await Task.Delay(20);
        }

        await Task.Delay(200);
    }

    public static Task<KestrelApp> StartAsync(Action<CorsKitOptions> cors, Action<WebApplication> map, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Services.AddCorsKit(cors);
        configure?.Invoke(builder);
        return StartAsync(builder, logs => { }, app =>
        {
            app.UseCorsKit();
            map(app);
        });
    }

    /// <summary>Builds and starts the app of <paramref name="builder"/>, listening on 127.0.0.1 only.</summary>
    public static async Task<KestrelApp> StartAsync(WebApplicationBuilder builder, Action<LogSink> onLogs, Action<WebApplication> map)
    {
        var logs = new LogSink();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        CaptureLogs(builder, logs);
        onLogs(logs);
        var app = builder.Build();
        map(app);
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return new KestrelApp(app, logs);
    }

    /// <summary>Wraps an app already built (such as <c>DemoApp.Build</c>'s), whose logging and URL were set by the caller.</summary>
    public static async Task<KestrelApp> StartBuiltAsync(WebApplication app, LogSink logs)
    {
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return new KestrelApp(app, logs);
    }

    /// <summary>
    /// Sends every log line, of every level, to <paramref name="logs"/> only. A rule for the sink's own provider outranks
    /// the category levels of any appsettings.json (the demo's is copied next to the tests).
    /// </summary>
    public static void CaptureLogs(WebApplicationBuilder builder, LogSink logs) =>
        builder.Logging.ClearProviders().AddProvider(logs).AddFilter<LogSink>(category: null, LogLevel.Trace);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await App.StopAsync(stop.Token);
        await App.DisposeAsync();
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CorsKit.AspNetCore.Tests.Infrastructure;

/// <summary>A real ASP.NET Core pipeline on a TestServer (or on Kestrel at 127.0.0.1), with CorsKit and captured logs.</summary>
public sealed class TestApp : IAsyncDisposable
{
    private TestApp(WebApplication app, LogSink logs, bool kestrel)
    {
        App = app;
        Logs = logs;
        Client = kestrel ? new HttpClient { BaseAddress = new Uri(app.Urls.Single()) } : app.GetTestClient();
    }

    public WebApplication App { get; }

    public HttpClient Client { get; }

    public LogSink Logs { get; }

    public static async Task<TestApp> StartAsync(
        Action<CorsKitOptions>? cors,
        Action<WebApplication> map,
        Action<WebApplicationBuilder>? configure = null,
        string environment = "Production",
        bool useCorsKit = true,
        bool kestrel = false,
        Action<WebApplicationBuilder>? before = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        if (kestrel)
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
        }
        else
        {
            builder.WebHost.UseTestServer();
        }

        var logs = new LogSink();
        // A rule for the sink itself outranks the category levels of the appsettings.json copied next to the tests.
        builder.Logging.ClearProviders().AddProvider(logs).AddFilter<LogSink>(category: null, LogLevel.Debug);
        before?.Invoke(builder);
        builder.Services.AddCorsKit(cors);
        configure?.Invoke(builder);
        var app = builder.Build();
        if (useCorsKit)
        {
            app.UseCorsKit();
        }

        map(app);
        await app.StartAsync();
        return new TestApp(app, logs, kestrel);
    }

    public Task<HttpResponseMessage> GetAsync(string path, string? origin, params (string Name, string Value)[] headers) =>
        SendAsync(HttpMethod.Get, path, origin, headers);

    public Task<HttpResponseMessage> PreflightAsync(string path, string origin, string method, string? requestHeaders = null)
    {
        var headers = new List<(string, string)> { ("Access-Control-Request-Method", method) };
        if (requestHeaders is not null)
        {
            headers.Add(("Access-Control-Request-Headers", requestHeaders));
        }

        return SendAsync(HttpMethod.Options, path, origin, [.. headers]);
    }

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? origin, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(method, path);
        if (origin is not null)
        {
            request.Headers.TryAddWithoutValidation("Origin", origin);
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return Client.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}

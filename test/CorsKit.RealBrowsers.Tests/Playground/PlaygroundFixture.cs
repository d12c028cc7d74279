using CorsKit.RealBrowsers.Tests.Infrastructure;
using CorsKit.Demo;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace CorsKit.RealBrowsers.Tests.Playground;

/// <summary>The demo exactly as <c>dotnet run</c> starts it (API and page origin, on free ports of 127.0.0.1), and one Chromium.</summary>
public sealed class PlaygroundFixture : IAsyncLifetime
{
    private WebApplication? _demo;

    /// <summary>The page origin, where the playground is served.</summary>
    public string PageUrl { get; private set; } = string.Empty;

    /// <summary>The API's base URL.</summary>
    public string ApiUrl { get; private set; } = string.Empty;

    /// <summary>The browser, or <see langword="null"/> when Chromium is missing.</summary>
    public ChromiumSession? Chromium { get; private set; }

    public async Task InitializeAsync()
    {
        if (RealEngine.MissingReason(BrowserEngine.Chromium) is not null)
        {
            return;
        }

        ApiUrl = $"http://127.0.0.1:{LoopbackServer.FreePort()}";
        PageUrl = $"http://127.0.0.1:{LoopbackServer.FreePort()}";
        _demo = DemoApp.Build(["--api", ApiUrl, "--page", PageUrl, "--environment", "Production"], builder => builder.Logging.ClearProviders());
        await _demo.StartAsync();
        LoopbackServer.StopAfterMaxLifetime(_demo);
        Chromium = await ChromiumSession.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        if (Chromium is not null)
        {
            await Chromium.DisposeAsync();
        }

        if (_demo is not null)
        {
            await _demo.StopAsync();
            await _demo.DisposeAsync();
        }
    }
}

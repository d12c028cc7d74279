using Microsoft.Playwright;

namespace CorsKit.RealBrowsers.Tests.Infrastructure;

/// <summary>
/// One headless Chromium with a fresh profile (a temporary user-data directory), driven by Playwright's driver, which
/// ships inside the Microsoft.Playwright package: nothing is downloaded. Launched once per test class.
/// </summary>
public sealed class ChromiumSession : IEngineSession
{
    /// <summary>How long one Playwright call may take before it fails the test.</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(20);

    private readonly IPlaywright _playwright;
    private readonly DirectoryInfo _profile;

    private ChromiumSession(IPlaywright playwright, IBrowserContext context, DirectoryInfo profile, ConsoleLog console)
    {
        _playwright = playwright;
        Context = context;
        _profile = profile;
        Console = console;
    }

    /// <summary>The browser context (the persistent profile).</summary>
    public IBrowserContext Context { get; }

    /// <summary>Every console message of every page (frames included), from each page's console event.</summary>
    public ConsoleLog Console { get; }

    /// <summary>Launches Chromium from <see cref="RealChromium.ExecutablePath"/> with <see cref="RealChromium.Flags"/>.</summary>
    public static async Task<ChromiumSession> LaunchAsync()
    {
        var profile = Directory.CreateTempSubdirectory("corskit-chromium-");
        var playwright = await Playwright.CreateAsync();
        try
        {
            var context = await playwright.Chromium.LaunchPersistentContextAsync(profile.FullName, new BrowserTypeLaunchPersistentContextOptions
            {
                ExecutablePath = RealChromium.ExecutablePath,
                Headless = true,
                Args = RealChromium.Flags,
                Timeout = (float)CallTimeout.TotalMilliseconds,
                ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            });
            context.SetDefaultTimeout((float)CallTimeout.TotalMilliseconds);
            var console = new ConsoleLog();
            void Listen(IPage page) => page.Console += (_, message) => console.Add(message.Text);
            foreach (var page in context.Pages)
            {
                Listen(page);
            }

            context.Page += (_, page) => Listen(page);
            return new ChromiumSession(playwright, context, profile, console);
        }
        catch
        {
            playwright.Dispose();
            profile.Delete(recursive: true);
            throw;
        }
    }

    /// <summary>Opens a page at <paramref name="url"/>, reusing the blank tab a persistent context starts with.</summary>
    /// <param name="url">The address.</param>
    public async Task<IPage> OpenAsync(string url)
    {
        var page = Context.Pages.FirstOrDefault(p => p.Url == "about:blank") ?? await Context.NewPageAsync();
        await page.GotoAsync(url);
        return page;
    }

    /// <inheritdoc/>
    async Task IEngineSession.OpenAsync(Uri url) => await OpenAsync(url.AbsoluteUri);

    public async ValueTask DisposeAsync()
    {
        await Context.CloseAsync();
        _playwright.Dispose();
        try
        {
            _profile.Delete(recursive: true);
        }
        catch (IOException)
        {
            // Chromium may still be letting go of a lock file; the temp directory is swept later.
        }
    }
}

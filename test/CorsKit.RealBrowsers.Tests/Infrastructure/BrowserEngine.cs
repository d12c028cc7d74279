namespace CorsKit.RealBrowsers.Tests.Infrastructure;

/// <summary>The browser engines the matrix runs in, each the real one Debian ships.</summary>
public enum BrowserEngine
{
    /// <summary>Chromium (<c>chromium</c>), driven by Playwright: the engine of Chrome and Edge.</summary>
    Chromium,

    /// <summary>Firefox ESR (<c>firefox-esr</c>), driven over WebDriver BiDi.</summary>
    Firefox,

    /// <summary>WebKitGTK's MiniBrowser (<c>webkit2gtk-driver</c>) under Xvfb: the engine of Safari.</summary>
    WebKit,
}

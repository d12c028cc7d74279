namespace CorsKit.RealBrowsers.Tests.Infrastructure;

/// <summary>Debian's Chromium and the command line the tests start it with (see <see cref="RealEngine"/> for a missing one).</summary>
public static class RealChromium
{
    /// <summary>Where Debian's <c>chromium</c> package installs the browser.</summary>
    public const string ExecutablePath = "/usr/bin/chromium";

    /// <summary>The command line: headless, no sandbox (root in containers), and nothing that talks to the network by itself.</summary>
    public static readonly IReadOnlyList<string> Flags =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",

        // Chromium puts a sandboxed iframe in a process of its own (IsolateSandboxedIframes); under load, a console line
        // that process prints could be lost before Playwright attached to it. Process placement changes nothing CORS does.
        "--disable-features=IsolateSandboxedIframes",
    ];
}

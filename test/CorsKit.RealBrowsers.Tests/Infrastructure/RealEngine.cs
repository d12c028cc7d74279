namespace CorsKit.RealBrowsers.Tests.Infrastructure;

/// <summary>
/// Where each engine lives on a Debian machine. A missing engine skips its tests with the command that installs it,
/// unless <c>CORSKIT_REQUIRE_REAL_COMPONENTS=1</c> (set by <c>.ci/run</c>) makes that a failure.
/// </summary>
public static class RealEngine
{
    /// <summary>The variable that turns a missing browser from a skip into a failure.</summary>
    public const string RequireVariable = "CORSKIT_REQUIRE_REAL_COMPONENTS";

    /// <summary>Debian's Firefox ESR (<c>firefox-esr</c>).</summary>
    public const string FirefoxPath = "/usr/bin/firefox-esr";

    /// <summary>WebKitGTK's MiniBrowser (<c>webkit2gtk-driver</c> brings it with <c>libwebkit2gtk-4.1-0</c>).</summary>
    public const string MiniBrowserPath = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";

    /// <summary>The X server MiniBrowser draws into (<c>xvfb</c>).</summary>
    public const string XvfbPath = "/usr/bin/Xvfb";

    /// <summary>Whether a missing browser must fail the run rather than skip it.</summary>
    public static bool Required => Environment.GetEnvironmentVariable(RequireVariable) == "1";

    /// <summary>Why <paramref name="engine"/> cannot run here, or <see langword="null"/> when it is installed.</summary>
    /// <param name="engine">The engine.</param>
    public static string? MissingReason(BrowserEngine engine)
    {
        (string Path, string Package)[] needs = engine switch
        {
            BrowserEngine.Chromium => [(RealChromium.ExecutablePath, "chromium")],
            BrowserEngine.Firefox => [(FirefoxPath, "firefox-esr")],
            BrowserEngine.WebKit => [(MiniBrowserPath, "webkit2gtk-driver"), (XvfbPath, "xvfb")],
            _ => throw new ArgumentOutOfRangeException(nameof(engine), engine, null),
        };
        var missing = needs.Where(n => !File.Exists(n.Path)).ToList();
        return missing.Count == 0
            ? null
            : $"{engine} is not installed ({string.Join(", ", missing.Select(m => m.Path))} missing): apt-get install {string.Join(' ', missing.Select(m => m.Package))}";
    }

    /// <summary>Skips the calling test when <paramref name="engine"/> is missing, or fails it when <see cref="Required"/>.</summary>
    /// <param name="engine">The engine.</param>
    public static void SkipOrFailWhenMissing(BrowserEngine engine)
    {
        if (MissingReason(engine) is not { } reason)
        {
            return;
        }

        if (Required)
        {
            Assert.Fail($"{reason} ({RequireVariable}=1 makes this a failure, not a skip)");
        }

        Skip.If(true, reason);
    }

    /// <summary>Starts a session of <paramref name="engine"/>.</summary>
    /// <param name="engine">The engine.</param>
    public static async Task<IEngineSession> LaunchAsync(BrowserEngine engine) => engine switch
    {
        BrowserEngine.Chromium => await ChromiumSession.LaunchAsync(),
        BrowserEngine.Firefox => await FirefoxSession.LaunchAsync(),
        BrowserEngine.WebKit => await WebKitSession.LaunchAsync(),
        _ => throw new ArgumentOutOfRangeException(nameof(engine), engine, null),
    };
}

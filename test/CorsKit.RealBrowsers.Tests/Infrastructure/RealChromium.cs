namespace CorsKit.RealBrowsers.Tests.Infrastructure;

/// <summary>
/// Debian's Chromium, the browser these tests drive. Missing, the tests are skipped with the command that installs it,
/// unless <c>CORSKIT_REQUIRE_REAL_COMPONENTS=1</c> (set by <c>.ci/run</c>) makes that a failure.
/// </summary>
public static class RealChromium
{
    /// <summary>Where Debian's <c>chromium</c> package installs the browser.</summary>
    public const string ExecutablePath = "/usr/bin/chromium";

    /// <summary>The variable that turns a missing browser from a skip into a failure.</summary>
    public const string RequireVariable = "CORSKIT_REQUIRE_REAL_COMPONENTS";

    /// <summary>The command line: headless, no sandbox (root in containers), and nothing that talks to the network by itself.</summary>
    public static readonly IReadOnlyList<string> Flags =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    /// <summary>Why the tests cannot run here, or <see langword="null"/> when Chromium is installed.</summary>
    public static string? MissingReason => File.Exists(ExecutablePath)
        ? null
        : $"Chromium is not installed ({ExecutablePath} is missing): apt-get install chromium";

    /// <summary>Whether a missing browser must fail the run rather than skip it.</summary>
    public static bool Required => Environment.GetEnvironmentVariable(RequireVariable) == "1";

    /// <summary>Skips the calling test when Chromium is missing, or fails it when <see cref="Required"/>.</summary>
    public static void SkipOrFailWhenMissing()
    {
        if (MissingReason is not { } reason)
        {
            return;
        }

        if (Required)
        {
            Assert.Fail($"{reason} ({RequireVariable}=1 makes this a failure, not a skip)");
        }

        Skip.If(true, reason);
    }
}

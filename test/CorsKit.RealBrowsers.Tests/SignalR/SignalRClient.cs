using System.Diagnostics;
using CorsKit.RealBrowsers.Tests.Infrastructure;

namespace CorsKit.RealBrowsers.Tests.SignalR;

/// <summary>
/// The official SignalR JavaScript client, <c>@microsoft/signalr</c>, installed from npm by <c>npm ci</c> in
/// <c>test/assets/signalr-client</c> (its package-lock.json pins every version). <c>.ci/run</c> installs it; a test run
/// without it runs <c>npm ci</c> once. Without npm, the tests are skipped with the command that installs it, unless
/// <c>CORSKIT_REQUIRE_REAL_COMPONENTS=1</c> makes that a failure.
/// </summary>
public static class SignalRClient
{
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);

    /// <summary>The client's folder, <c>test/assets/signalr-client</c>.</summary>
    public static string Folder { get; } = Path.Combine(Repository.Root, "test", "assets", "signalr-client");

    /// <summary>The browser bundle (a UMD script that defines <c>signalR</c>).</summary>
    public static string BrowserScript { get; } = Path.Combine(Folder, "node_modules", "@microsoft", "signalr", "dist", "browser", "signalr.js");

    /// <summary>Installs the client when it is missing; returns why it cannot be, or <see langword="null"/> once it is there.</summary>
    public static async Task<string?> EnsureInstalledAsync()
    {
        if (File.Exists(BrowserScript))
        {
            return null;
        }

        var start = new ProcessStartInfo("npm", "ci --no-audit --no-fund")
        {
            WorkingDirectory = Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process? npm;
        try
        {
            npm = Process.Start(start);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return $"npm is not installed, so the SignalR client cannot be installed: apt-get install npm, then npm ci in {Folder}";
        }

        using (npm)
        {
            if (npm is null)
            {
                return "npm did not start";
            }

            var output = npm.StandardOutput.ReadToEndAsync();
            var errors = npm.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(InstallTimeout);
            try
            {
                await npm.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                npm.Kill(entireProcessTree: true);
                return $"npm ci in {Folder} did not finish within {InstallTimeout}";
            }

            return npm.ExitCode == 0 && File.Exists(BrowserScript)
                ? null
                : $"npm ci in {Folder} failed (exit code {npm.ExitCode}): {await errors}{await output}";
        }
    }

    /// <summary>Skips the calling test when the client or Chromium is missing (<paramref name="reason"/>), or fails it when real components are required.</summary>
    /// <param name="reason">Why the client is missing, or <see langword="null"/>.</param>
    public static void SkipOrFailWhenMissing(string? reason)
    {
        RealEngine.SkipOrFailWhenMissing(BrowserEngine.Chromium);
        if (reason is null)
        {
            return;
        }

        if (RealEngine.Required)
        {
            Assert.Fail($"{reason} ({RealEngine.RequireVariable}=1 makes this a failure, not a skip)");
        }

        Skip.If(true, reason);
    }
}

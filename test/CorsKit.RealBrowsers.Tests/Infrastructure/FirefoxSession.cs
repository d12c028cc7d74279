using System.Text.RegularExpressions;

namespace CorsKit.RealBrowsers.Tests.Infrastructure;

/// <summary>
/// Headless Firefox ESR with a fresh profile, spoken to over WebDriver BiDi (Firefox's own remote protocol, no driver
/// in between). Its console arrives as <c>log.entryAdded</c> events: <c>console</c> entries for the page's
/// <c>console.log</c>, <c>javascript</c> entries for the errors Firefox reports (CORS among them).
/// </summary>
public sealed partial class FirefoxSession : IEngineSession
{
    // Firefox prints the address of its BiDi server on stderr once it listens.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly BoundedProcess _process;
    private readonly DirectoryInfo _profile;
    private readonly BiDiConnection _bidi;
    private readonly string _context;

    private FirefoxSession(BoundedProcess process, DirectoryInfo profile, BiDiConnection bidi, string context, ConsoleLog console)
    {
        _process = process;
        _profile = profile;
        _bidi = bidi;
        _context = context;
        Console = console;
    }

    /// <inheritdoc/>
    public ConsoleLog Console { get; }

    /// <summary>Starts Firefox and opens a BiDi session listening to the log.</summary>
    public static async Task<FirefoxSession> LaunchAsync()
    {
        var profile = Directory.CreateTempSubdirectory("corskit-firefox-");
        await File.WriteAllTextAsync(Path.Combine(profile.FullName, "user.js"), Preferences);
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = BoundedProcess.Start(
            RealEngine.FirefoxPath,
            ["--headless", "--no-remote", "--remote-debugging-port=0", "--profile", profile.FullName, "about:blank"],
            line =>
            {
                if (Listening().Match(line) is { Success: true } match)
                {
                    listening.TrySetResult(new Uri(match.Groups[1].Value + "/session"));
                }
            },
            new Dictionary<string, string> { ["MOZ_CRASHREPORTER_DISABLE"] = "1" });
        BiDiConnection? bidi = null;
        try
        {
            var endpoint = await listening.Task.WaitAsync(StartTimeout);
            var console = new ConsoleLog();
            bidi = await BiDiConnection.ConnectAsync(endpoint, (method, parameters) =>
            {
                if (method == "log.entryAdded" && parameters.TryGetProperty("text", out var text))
                {
                    console.Add(text.GetString() ?? string.Empty);
                }
            });
            await bidi.SendAsync("session.new", new { capabilities = new { } });
            await bidi.SendAsync("session.subscribe", new { events = new[] { "log.entryAdded" } });
            var tree = await bidi.SendAsync("browsingContext.getTree", new { maxDepth = 0 });
            var context = tree.GetProperty("contexts")[0].GetProperty("context").GetString()!;
            return new FirefoxSession(process, profile, bidi, context, console);
        }
        catch
        {
            if (bidi is not null)
            {
                await bidi.DisposeAsync();
            }

            process.Dispose();
            profile.Delete(recursive: true);
            throw;
        }
    }

    /// <inheritdoc/>
    public async Task OpenAsync(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        await _bidi.SendAsync("browsingContext.navigate", new { context = _context, url = url.AbsoluteUri, wait = "none" });
    }

    public async ValueTask DisposeAsync()
    {
        await _bidi.DisposeAsync();
        _process.Dispose();
        try
        {
            _profile.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A file Firefox just let go of; the temp directory is swept later.
        }
    }

    // Keep the profile from calling home; the remote agent adds its own recommended preferences on top.
    private const string Preferences = """
        user_pref("app.update.disabledForTesting", true);
        user_pref("browser.shell.checkDefaultBrowser", false);
        user_pref("datareporting.policy.dataSubmissionEnabled", false);
        user_pref("services.settings.server", "http://127.0.0.1:1/");
        user_pref("network.captive-portal-service.enabled", false);
        user_pref("network.connectivity-service.enabled", false);
        user_pref("browser.safebrowsing.update.enabled", false);
        user_pref("extensions.update.enabled", false);
        """;

    [GeneratedRegex(@"WebDriver BiDi listening on (ws://127\.0\.0\.1:\d+)")]
    private static partial Regex Listening();
}

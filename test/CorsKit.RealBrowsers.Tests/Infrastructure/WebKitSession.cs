using System.Text.RegularExpressions;

namespace CorsKit.RealBrowsers.Tests.Infrastructure;

/// <summary>
/// WebKitGTK's MiniBrowser on an Xvfb display of its own, with empty data, cache and config folders. It runs without
/// automation: a WebDriver session's ephemeral profile prints no console messages, while MiniBrowser started with
/// <c>--enable-write-console-messages-to-stdout=true</c> prints every one as <c>CONSOLE &lt;source&gt; &lt;level&gt; &lt;text&gt;</c>
/// on stderr, which this reads. A page is opened by starting MiniBrowser at its address; the page drives itself.
/// </summary>
public sealed partial class WebKitSession : IEngineSession
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly BoundedProcess _xvfb;
    private readonly string _display;
    private readonly DirectoryInfo _home;
    private BoundedProcess? _browser;

    private WebKitSession(BoundedProcess xvfb, string display, DirectoryInfo home)
    {
        _xvfb = xvfb;
        _display = display;
        _home = home;
    }

    /// <inheritdoc/>
    public ConsoleLog Console { get; } = new();

    /// <summary>Starts Xvfb on a display it picks itself (<c>-displayfd</c>); MiniBrowser starts with the first page.</summary>
    public static async Task<WebKitSession> LaunchAsync()
    {
        var display = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var xvfb = BoundedProcess.Start(RealEngine.XvfbPath, ["-displayfd", "1", "-nolisten", "tcp", "-screen", "0", "1280x900x24"], line =>
        {
            if (int.TryParse(line, out var number))
            {
                display.TrySetResult($":{number}");
            }
        });
        try
        {
            return new WebKitSession(xvfb, await display.Task.WaitAsync(StartTimeout), Directory.CreateTempSubdirectory("corskit-webkit-"));
        }
        catch
        {
            xvfb.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public Task OpenAsync(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (_browser is not null)
        {
            throw new InvalidOperationException("MiniBrowser is already running a page; the page navigates on its own");
        }

        var folders = new Dictionary<string, string> { ["DISPLAY"] = _display };
        foreach (var name in (string[])["XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"])
        {
            folders[name] = Directory.CreateDirectory(Path.Combine(_home.FullName, name)).FullName;
        }

        _browser = BoundedProcess.Start(RealEngine.MiniBrowserPath, ["--enable-write-console-messages-to-stdout=true", url.AbsoluteUri], line =>
        {
            if (ConsoleLine().Match(line) is { Success: true } match)
            {
                Console.Add(match.Groups[1].Value);
            }
        }, folders);
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        _browser?.Dispose();
        _xvfb.Dispose();
        try
        {
            _home.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A file a WebKit process just let go of; the temp directory is swept later.
        }

        return ValueTask.CompletedTask;
    }

    // "CONSOLE SECURITY ERROR Origin ... is not allowed ...", "CONSOLE JS ERROR Fetch API cannot load ...", and the page's
    // own "http://.../page:3:12: CONSOLE LOG corskit-run ...": the text after the source and the level.
    [GeneratedRegex(@"^(?:\S+:\d+:\d+: )?CONSOLE (?:[A-Z]+ )?(?:LOG|DEBUG|INFO|WARN|WARNING|ERROR) (.*)$")]
    private static partial Regex ConsoleLine();
}

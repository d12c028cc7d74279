using System.Diagnostics;

namespace CorsKit.RealBrowsers.Tests.Infrastructure;

/// <summary>
/// A browser or X server the tests start: run under <c>timeout</c> so it dies after <see cref="MaxLifetime"/> even if
/// the test host does, its output read line by line, and killed with its children by pid on dispose.
/// </summary>
public sealed class BoundedProcess : IDisposable
{
    /// <summary>The longest a started process lives.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(10);

    private readonly Process _process;

    private BoundedProcess(Process process) => _process = process;

    /// <summary>The process id (of <c>timeout</c>, whose child is the program).</summary>
    public int Id => _process.Id;

    /// <summary>Starts <paramref name="fileName"/> with <paramref name="arguments"/>; each output line goes to <paramref name="onLine"/>.</summary>
    /// <param name="fileName">The program.</param>
    /// <param name="arguments">Its arguments.</param>
    /// <param name="onLine">Called with every line of stdout and stderr (from thread-pool threads).</param>
    /// <param name="environment">Variables to set.</param>
    public static BoundedProcess Start(string fileName, IEnumerable<string> arguments, Action<string> onLine, IReadOnlyDictionary<string, string>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(onLine);
        var info = new ProcessStartInfo("timeout")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["--kill-after=5", $"{(int)MaxLifetime.TotalSeconds}", fileName, .. arguments])
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Forward(e.Data, onLine);
        process.ErrorDataReceived += (_, e) => Forward(e.Data, onLine);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new BoundedProcess(process);
    }

    /// <summary>Whether the process has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Kills the process and its children by pid, and waits for them.</summary>
    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.WaitForExit(TimeSpan.FromSeconds(10));
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }

        _process.Dispose();
    }

    private static void Forward(string? line, Action<string> onLine)
    {
        if (line is not null)
        {
            onLine(line);
        }
    }
}

namespace CorsKit.RealBrowsers.Tests.Infrastructure;

/// <summary>Every console message of a browser session, in order, with marks to read what one step produced.</summary>
public sealed class ConsoleLog
{
    private readonly List<string> _lines = [];

    /// <summary>Adds a message (from Playwright's console event, a BiDi log entry or a line of MiniBrowser's stderr).</summary>
    /// <param name="text">The message text.</param>
    public void Add(string text)
    {
        lock (_lines)
        {
            _lines.Add(text);
        }
    }

    /// <summary>A position: <see cref="Since"/> returns what came after it.</summary>
    public int Mark()
    {
        lock (_lines)
        {
            return _lines.Count;
        }
    }

    /// <summary>The messages since <paramref name="mark"/>.</summary>
    /// <param name="mark">A value from <see cref="Mark"/>.</param>
    public IReadOnlyList<string> Since(int mark)
    {
        lock (_lines)
        {
            return _lines.Skip(mark).ToList();
        }
    }

    /// <summary>
    /// The messages since <paramref name="mark"/>, once one matches <paramref name="until"/> (console events can trail the
    /// script's result by a moment), or whatever came after <paramref name="timeout"/>.
    /// </summary>
    /// <param name="mark">A value from <see cref="Mark"/>.</param>
    /// <param name="until">The message awaited.</param>
    /// <param name="timeout">How long to wait for it.</param>
    public Task<IReadOnlyList<string>> WaitForAsync(int mark, Func<string, bool> until, TimeSpan timeout) =>
        WaitUntilAsync(mark, lines => lines.Any(until), timeout);

    /// <summary>The messages since <paramref name="mark"/>, once they satisfy <paramref name="complete"/>, or whatever came after <paramref name="timeout"/>.</summary>
    /// <param name="mark">A value from <see cref="Mark"/>.</param>
    /// <param name="complete">A test over all the messages since <paramref name="mark"/>.</param>
    /// <param name="timeout">How long to wait.</param>
    public async Task<IReadOnlyList<string>> WaitUntilAsync(int mark, Func<IReadOnlyList<string>, bool> complete, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(complete);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var lines = Since(mark);
            if (complete(lines) || DateTime.UtcNow >= deadline)
            {
                return lines;
            }

            await Task.Delay(10);
        }
    }
}

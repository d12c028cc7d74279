using Spectre.Console;

namespace CorsKit.Cli.Output;

/// <summary>
/// Writes lines unwrapped (a console message must stay one line to be copied, and JSON must stay JSON), coloured only
/// where the console supports colour: Spectre.Console decides that from the terminal, <c>NO_COLOR</c> and <c>--no-color</c>.
/// </summary>
internal sealed class Terminal(IAnsiConsole console, bool noColor = false)
{
    public const string Green = "32";
    public const string Red = "31";
    public const string Yellow = "33";
    public const string Dim = "2";
    public const string Bold = "1";
    public const string Cyan = "36";

    private readonly TextWriter _out = console.Profile.Out.Writer;
    private readonly bool _color = !noColor && console.Profile.Capabilities.Ansi && console.Profile.Capabilities.ColorSystem != ColorSystem.NoColors;

    public void Line(string text = "", string? style = null) =>
        _out.WriteLine(_color && style is not null && text.Length > 0 ? $"\u001b[{style}m{text}\u001b[0m" : text);

    public void Raw(string text) => _out.Write(text);

    /// <summary>Runs <paramref name="work"/> under a spinner when a person is watching an interactive terminal.</summary>
    public async Task<T> WithSpinnerAsync<T>(string label, Func<Task<T>> work)
    {
        if (!console.Profile.Capabilities.Interactive || !_color)
        {
            return await work().ConfigureAwait(false);
        }

        return await console.Status().Spinner(Spinner.Known.Dots).StartAsync(Markup.Escape(label), _ => work()).ConfigureAwait(false);
    }
}

using CorsKit.Cli.Errors;
using Spectre.Console;
using Spectre.Console.Cli;
using Spectre.Console.Cli.Help;
using Spectre.Console.Rendering;

namespace CorsKit.Cli.Output;

/// <summary>
/// Spectre.Console.Cli's help, with examples a shell can run as printed: an argument with a space or a quote is quoted,
/// and a long example breaks between arguments with a <c>\</c> continuation, never inside one.
/// </summary>
internal sealed class HelpWithExamples(ICommandAppSettings settings) : HelpProvider(settings)
{
    public override IEnumerable<IRenderable> GetExamples(ICommandModel model, ICommandInfo? command)
    {
        var examples = command is not null
            ? command.Examples
            : model.Examples.Concat(model.Commands.SelectMany(c => c.Examples)).Take(MaximumIndirectExamples).ToList();
        if (examples.Count == 0)
        {
            return [];
        }

        return [new Text(Environment.NewLine), new Markup("[yellow]EXAMPLES:[/]"), new Text(Environment.NewLine), .. examples.Select(e => new Example([model.ApplicationName, .. e]))];
    }

    /// <summary>The shell spelling of one argument: as is when safe, else in double quotes.</summary>
    internal static string Quote(string arg) =>
        arg.Length > 0 && arg.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=,@%+".Contains(c, StringComparison.Ordinal))
            ? arg
            : "\"" + arg.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("$", "\\$", StringComparison.Ordinal).Replace("`", "\\`", StringComparison.Ordinal) + "\"";

    // One example, laid out at render time, when the width is known.
    private sealed class Example(IReadOnlyList<string> args) : Renderable
    {
        private const string Indent = "    ";
        private const string Continued = "        ";

        protected override IEnumerable<Segment> Render(RenderOptions options, int maxWidth)
        {
            var line = Indent;
            var first = true;
            foreach (var word in Units(args))
            {
                // Leave room for " \" at the end of a broken line.
                if (!first && line.Length + 1 + word.Length + 2 > maxWidth)
                {
                    yield return new Segment(line + " \\");
                    yield return Segment.LineBreak;
                    line = Continued + word;
                }
                else
                {
                    line += (first ? string.Empty : " ") + word;
                }

                first = false;
            }

            yield return new Segment(line);
            yield return Segment.LineBreak;
        }

        // An option stays on one line with its value: "-X PUT", not "-X \ PUT".
        private static IEnumerable<string> Units(IReadOnlyList<string> args)
        {
            for (var i = 0; i < args.Count; i++)
            {
                yield return OptionNames.TakesValue(args[i]) && i + 1 < args.Count ? $"{Quote(args[i])} {Quote(args[++i])}" : Quote(args[i]);
            }
        }
    }
}

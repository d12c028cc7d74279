using System.Text.Json;
using System.Text.RegularExpressions;
using CorsKit.Cli.Http;
using CorsKit.Cli.Output;
using Spectre.Console.Cli;

namespace CorsKit.Cli.Errors;

/// <summary>
/// Reports whatever stopped a command: one line on standard error, never a stack trace, and with a machine format
/// (<c>--format json</c> or <c>sarif</c>) also <c>{"error": "..."}</c> on standard output, so a script never parses plain text.
/// </summary>
internal static partial class CliError
{
    public static int Report(Exception exception, string[] args, TextWriter stdout, TextWriter stderr)
    {
        var message = MessageOf(exception, args);
        stderr.WriteLine($"corskit: {message}");
        if (WantsMachineFormat(args))
        {
            stdout.WriteLine(JsonSerializer.Serialize(new { error = message }, Json.Options));
        }

        return ExitCodes.UsageOrNetwork;
    }

    private static string MessageOf(Exception exception, string[] args) => exception switch
    {
        CommandParseException parse => Reword(parse.Message, args),
        NetworkException or UsageException or CommandRuntimeException => exception.Message,
        OperationCanceledException => "cancelled",
        _ => $"{exception.GetType().Name}: {exception.Message}",
    };

    // Spectre.Console.Cli's strict parsing finds the mistake; this names the option the user most likely meant.
    private static string Reword(string message, string[] args)
    {
        var command = args.Length > 0 ? args[0] : string.Empty;
        var help = OptionNames.Of(command).Count > 0 ? $"; see corskit {command} --help" : string.Empty;
        if (UnknownOption().Match(message) is { Success: true } unknown)
        {
            var name = unknown.Groups["name"].Value;
            var typed = args.Select(a => a.Split('=', ':')[0]).FirstOrDefault(a => a.TrimStart('-') == name && a.StartsWith('-')) ?? "--" + name;
            var closest = OptionNames.Closest(command, typed);
            return closest is null
                ? $"unknown option {typed}{help}"
                : $"unknown option {typed} (did you mean {closest}?){help}";
        }

        if (StrayArgument().Match(message) is { Success: true } stray)
        {
            var quote = command == "explain" ? "explain takes one message: quote the whole paste" : $"{command} takes one URL; quote a value with spaces, such as -H \"X-Token: 1\"";
            return $"unexpected argument '{stray.Groups["value"].Value}': {quote}{help}";
        }

        if (UnknownCommand().Match(message) is { Success: true } unknownCommand)
        {
            var name = unknownCommand.Groups["name"].Value;
            var closest = OptionNames.Commands.FirstOrDefault(c => OptionNames.Distance(c, name.ToLowerInvariant()) <= 2);
            return $"unknown command '{name}'{(closest is null ? string.Empty : $" (did you mean {closest}?)")}; the commands are {string.Join(", ", OptionNames.Commands)}";
        }

        return message.TrimEnd('.') + help;
    }

    private static bool WantsMachineFormat(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            var value = args[i] == "--format" && i + 1 < args.Length ? args[i + 1]
                : args[i].StartsWith("--format=", StringComparison.Ordinal) ? args[i]["--format=".Length..]
                : null;
            if (value is "json" or "sarif")
            {
                return true;
            }
        }

        return false;
    }

    [GeneratedRegex(@"^Unknown option '(?<name>.*)'\.$")]
    private static partial Regex UnknownOption();

    [GeneratedRegex(@"^Unknown command '(?<name>.*)'\.$")]
    private static partial Regex UnknownCommand();

    [GeneratedRegex(@"^Could not match '(?<value>.*)' with an argument\.$", RegexOptions.Singleline)]
    private static partial Regex StrayArgument();
}

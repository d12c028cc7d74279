using System.Reflection;
using CorsKit.Cli.Commands;
using Spectre.Console.Cli;

namespace CorsKit.Cli.Errors;

/// <summary>The options each command takes, read from its settings' attributes, and the one closest to a mistyped name.</summary>
internal static class OptionNames
{
    private static readonly Dictionary<string, Type> SettingsOf = new(StringComparer.Ordinal)
    {
        ["check"] = typeof(CheckCommand.Settings),
        ["scan"] = typeof(ScanCommand.Settings),
        ["explain"] = typeof(ExplainCommand.Settings),
    };

    /// <summary>The commands, in the order help lists them.</summary>
    public static IReadOnlyList<string> Commands { get; } = ["check", "scan", "explain"];

    /// <summary>Every long option of <paramref name="command"/>, such as <c>--credentials</c>; empty for an unknown command.</summary>
    public static IReadOnlyList<string> Of(string command) =>
        SettingsOf.TryGetValue(command, out var settings)
            ? [.. settings.GetProperties().Select(p => p.GetCustomAttribute<CommandOptionAttribute>()).OfType<CommandOptionAttribute>().SelectMany(o => o.LongNames).Select(n => "--" + n), "--help"]
            : [];

    /// <summary>Whether <paramref name="option"/> (such as <c>-X</c> or <c>--origin</c>) takes a value in any command.</summary>
    public static bool TakesValue(string option) =>
        SettingsOf.Values.SelectMany(s => s.GetProperties()).Select(p => p.GetCustomAttribute<CommandOptionAttribute>())
            .Any(o => o?.ValueName is not null && (o.LongNames.Any(n => "--" + n == option) || o.ShortNames.Any(n => "-" + n == option)));

    /// <summary>
    /// A value option with no value after it (<c>check URL --origin</c>, <c>-X --origin ...</c>), or <see langword="null"/>.
    /// Spectre.Console.Cli would bind it an internal placeholder instead of failing.
    /// </summary>
    public static string? MissingValue(string[] args) =>
        args.Skip(1).Where((arg, i) => TakesValue(arg) && (i + 2 >= args.Length || args[i + 2] is ['-', _, ..])).FirstOrDefault();

    /// <summary>The option <paramref name="typed"/> most likely meant: one it begins, else the nearest by edit distance (at most a third of its letters).</summary>
    public static string? Closest(string command, string typed)
    {
        var options = Of(command);
        var name = typed.TrimStart('-');
        if (name.Length < 2)
        {
            return null; // -Z: one letter says nothing about which option was meant
        }

        var started = options.Where(o => o.StartsWith("--" + name, StringComparison.OrdinalIgnoreCase)).ToList();
        if (started.Count == 1)
        {
            return started[0];
        }

        var (best, distance) = options.Select(o => (Option: o, Distance: Distance(o[2..].ToLowerInvariant(), name.ToLowerInvariant()))).MinBy(c => c.Distance);
        return best is not null && distance <= Math.Max(1, name.Length / 3) ? best : null;
    }

    // Levenshtein distance: insertions, deletions and substitutions.
    public static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }
}

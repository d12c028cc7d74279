using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace CorsKit.Cli.Commands;

/// <summary>Options every command shares.</summary>
internal class OutputSettings : CommandSettings
{
    [CommandOption("--format <FORMAT>")]
    [Description("text (default) or json (one object; errors too, as {\"error\": ...}); scan also sarif")]
    [DefaultValue("text")]
    public string Format { get; set; } = "text";

    [CommandOption("--no-color")]
    [Description("No colour (also: the NO_COLOR environment variable, or output that is not a terminal)")]
    public bool NoColor { get; set; }

    protected virtual IReadOnlyList<string> Formats => ["text", "json"];

    public override ValidationResult Validate() =>
        Formats.Contains(Format, StringComparer.Ordinal)
            ? ValidationResult.Success()
            : ValidationResult.Error($"--format must be one of: {string.Join(", ", Formats)}");
}

using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace CorsKit.Cli.Commands;

/// <summary>Options of the commands that send requests: the URL, the timeout and TLS trust.</summary>
internal abstract class RequestSettings : OutputSettings
{
    [CommandArgument(0, "<url>")]
    [Description("The http:// or https:// URL to request")]
    public string Url { get; set; } = string.Empty;

    [CommandOption("--timeout <SECONDS>")]
    [Description("Seconds to wait for each response (default 10)")]
    [DefaultValue(10d)]
    public double Timeout { get; set; } = 10;

    [CommandOption("--insecure")]
    [Description("Accept a self-signed or untrusted TLS certificate")]
    public bool Insecure { get; set; }

    public override ValidationResult Validate()
    {
        var result = base.Validate();
        if (!result.Successful)
        {
            return result;
        }

        if (!Uri.TryCreate(Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            return ValidationResult.Error($"'{Url}' is not an http:// or https:// URL");
        }

        return Timeout is > 0 and <= 600 ? ValidateCommand() : ValidationResult.Error("--timeout must be between 0 and 600 seconds");
    }

    /// <summary>The command's own checks, after the shared ones passed.</summary>
    protected abstract ValidationResult ValidateCommand();
}

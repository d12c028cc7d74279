using System.ComponentModel;
using System.Text.Json;
using CorsKit.Cli.Http;
using CorsKit.Cli.Output;
using CorsKit.Cli.Scan;
using Spectre.Console;
using Spectre.Console.Cli;

namespace CorsKit.Cli.Commands;

/// <summary><c>corskit scan &lt;url&gt;</c>: probes for dangerous CORS misconfigurations.</summary>
internal sealed class ScanCommand(IAnsiConsole console) : AsyncCommand<ScanCommand.Settings>
{
    internal sealed class Settings : RequestSettings
    {
        [CommandOption("--origin <ORIGIN>")]
        [Description("An origin the server should allow, to check that its answers vary on Origin (repeatable)")]
        public string[] Origins { get; set; } = [];

        [CommandOption("--fail-on <SEVERITY>")]
        [Description("Exit 1 when a finding at or above this severity exists: info, low, medium (default), high, critical")]
        [DefaultValue("medium")]
        public string FailOn { get; set; } = "medium";

        protected override IReadOnlyList<string> Formats => ["text", "json", "sarif"];

        protected override ValidationResult ValidateCommand()
        {
            if (!Enum.TryParse<Severity>(FailOn, ignoreCase: true, out _) || int.TryParse(FailOn, out _))
            {
                return ValidationResult.Error("--fail-on must be one of: info, low, medium, high, critical");
            }

            foreach (var origin in Origins)
            {
                if (!CorsKit.Origins.Origin.TryParse(origin, out _, out var error))
                {
                    return ValidationResult.Error($"--origin {error}");
                }
            }

            return ValidationResult.Success();
        }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var target = new Uri(settings.Url);
        var failOn = Enum.Parse<Severity>(settings.FailOn, ignoreCase: true);
        var origins = settings.Origins.Select(o => CorsKit.Origins.Origin.Parse(o).Serialized).ToList();
        var terminal = new Terminal(console, settings.NoColor);
        using var client = new ExchangeClient(TimeSpan.FromSeconds(settings.Timeout), settings.Insecure);
        var (findings, exchanges) = await terminal.WithSpinnerAsync($"Probing {target.Authority}...", () => Scanner.RunAsync(target, origins, client, cancellationToken)).ConfigureAwait(false);
        var failed = findings.Any(f => f.Severity >= failOn);

        switch (settings.Format)
        {
            case "sarif":
                terminal.Raw(SarifWriter.Write(target, findings) + Environment.NewLine);
                break;
            case "json":
                terminal.Raw(JsonSerializer.Serialize(new { url = target.AbsoluteUri, probes = exchanges.Count, failOn = failOn.ToString().ToLowerInvariant(), failed, findings }, Json.Options) + Environment.NewLine);
                break;
            default:
                terminal.Line($"corskit scan: {target.AbsoluteUri} ({exchanges.Count} probes)", Terminal.Bold);
                if (findings.Count == 0)
                {
                    terminal.Line("No finding: no crafted origin was trusted, and answers that depend on Origin vary on it.", Terminal.Green);
                }

                foreach (var finding in findings)
                {
                    var style = finding.Severity >= Severity.High ? Terminal.Red : finding.Severity == Severity.Medium ? Terminal.Yellow : null;
                    terminal.Line();
                    terminal.Line($"[{finding.Severity.ToString().ToUpperInvariant()}] {finding.Id} {finding.Title}", style);
                    terminal.Line($"  probe:    Origin: {finding.ProbeOrigin}");
                    terminal.Line($"  answer:   {finding.Evidence}");
                    terminal.Line($"  fix:      {finding.Fix}");
                }

                break;
        }

        return failed ? ExitCodes.Failed : ExitCodes.Ok;
    }
}

using CorsKit.Cli.Commands;
using CorsKit.Cli.Errors;
using CorsKit.Cli.Output;
using Spectre.Console;
using Spectre.Console.Cli;

namespace CorsKit.Cli;

/// <summary>The <c>corskit</c> command line: parses arguments, runs a command, returns the exit code.</summary>
public static class CorsKitCli
{
    /// <summary>Runs <c>corskit</c> with <paramref name="args"/>: output on <paramref name="console"/>, errors on <paramref name="error"/>.</summary>
    /// <param name="console">Where output goes (a <c>TestConsole</c> in tests).</param>
    /// <param name="error">Where errors go (standard error); with <c>--format json</c> or <c>sarif</c>, stdout also gets <c>{"error": ...}</c>.</param>
    /// <param name="args">The arguments.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>0 allowed / nothing found, 1 blocked / finding, 2 usage or network error.</returns>
    public static async Task<int> RunAsync(IAnsiConsole console, TextWriter error, string[] args, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(args);
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName("corskit");
            config.SetApplicationVersion(typeof(CorsKitCli).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");
            config.ConfigureConsole(console);
            config.UseStrictParsing(); // an unknown option is an error, never silently dropped (--credential must not flip a verdict)
            config.ValidateExamples();
            config.SetHelpProvider(new HelpWithExamples(config.Settings));
            config.AddCommand<CheckCommand>("check")
                .WithDescription("Send what a browser sends, and say what it will do and why")
                .WithExample("check", "https://api.example/items", "--origin", "https://app.example", "--credentials")
                .WithExample("check", "https://api.example/items", "--origin", "https://app.example", "-X", "PUT", "-H", "X-Token: 1")
                .WithExample("check", "https://api.example/items", "--origin", "https://app.example", "--fix-for", "flask");
            config.AddCommand<ScanCommand>("scan")
                .WithDescription("Probe for dangerous CORS misconfigurations")
                .WithExample("scan", "https://api.example/items", "--origin", "https://app.example")
                .WithExample("scan", "https://api.example/items", "--format", "sarif", "--fail-on", "high");
            config.AddCommand<ExplainCommand>("explain")
                .WithDescription("Explain a Chromium, Firefox or Safari (WebKit) CORS console message")
                .WithExample("explain", "localhost/:1 Access to fetch at 'http://localhost:8080/api' from origin 'http://localhost:3000' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.");
            config.SetExceptionHandler((exception, _) => CliError.Report(exception, args, console.Profile.Out.Writer, error));
        });

        if (OptionNames.MissingValue(args) is { } option)
        {
            return CliError.Report(new UsageException($"{option} needs a value"), args, console.Profile.Out.Writer, error);
        }

        return await app.RunAsync(args, cancellationToken).ConfigureAwait(false);
    }
}

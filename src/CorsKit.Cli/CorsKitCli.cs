using CorsKit.Cli.Commands;
using CorsKit.Cli.Http;
using Spectre.Console;
using Spectre.Console.Cli;

namespace CorsKit.Cli;

/// <summary>The <c>corskit</c> command line: parses arguments, runs a command, returns the exit code.</summary>
public static class CorsKitCli
{
    /// <summary>Runs <c>corskit</c> with <paramref name="args"/>, writing to <paramref name="console"/>.</summary>
    /// <param name="console">Where output goes (a <c>TestConsole</c> in tests).</param>
    /// <param name="args">The arguments.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>0 allowed / nothing found, 1 blocked / finding, 2 usage or network error.</returns>
    public static async Task<int> RunAsync(IAnsiConsole console, string[] args, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(console);
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName("corskit");
            config.SetApplicationVersion(typeof(CorsKitCli).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");
            config.ConfigureConsole(console);
            config.AddCommand<CheckCommand>("check")
                .WithDescription("Send what a browser sends, and say what it will do and why")
                .WithExample("check", "https://api.example.com/items", "--origin", "https://app.example.com", "-X", "PUT", "-H", "X-Token: 1");
            config.AddCommand<ScanCommand>("scan")
                .WithDescription("Probe for dangerous CORS misconfigurations")
                .WithExample("scan", "https://api.example.com/items", "--format", "sarif");
            config.AddCommand<ExplainCommand>("explain")
                .WithDescription("Explain a Chromium or Firefox CORS console message")
                .WithExample("explain", "\"Access to fetch at ... has been blocked by CORS policy: ...\"");
            config.SetExceptionHandler((exception, _) =>
            {
                // One line, never a stack trace: the network's and the parser's words are enough.
                var message = exception switch
                {
                    NetworkException network => network.Message,
                    CommandRuntimeException or CommandParseException => exception.Message,
                    OperationCanceledException => "cancelled",
                    _ => $"{exception.GetType().Name}: {exception.Message}",
                };
                console.Profile.Out.Writer.WriteLine($"corskit: {message}");
                return ExitCodes.UsageOrNetwork;
            });
        });

        return await app.RunAsync(args, cancellationToken).ConfigureAwait(false);
    }
}

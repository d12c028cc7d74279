using CorsKit.Cli;
using Spectre.Console;

// A thin entry point: the console is chosen here (NO_COLOR and --no-color honoured), everything else is CorsKitCli.
var noColor = args.Contains("--no-color") || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
var console = AnsiConsole.Create(new AnsiConsoleSettings
{
    ColorSystem = noColor ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
    Ansi = noColor ? AnsiSupport.No : AnsiSupport.Detect,
});
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
return await CorsKitCli.RunAsync(console, Console.Error, args, cancel.Token);

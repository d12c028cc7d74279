using System.Text.Json;
using Spectre.Console.Testing;

namespace CorsKit.Cli.Tests;

/// <summary>Runs corskit in-process against a test console and returns what a user would see.</summary>
public static class Cli
{
    /// <summary>Runs corskit; <c>Output</c> is standard output, <c>Error</c> standard error.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAllAsync(params string[] args)
    {
        var console = new TestConsole().Width(400);
        using var error = new StringWriter { NewLine = "\n" };
        var exit = await CorsKitCli.RunAsync(console, error, args);
        return (exit, console.Output, error.ToString());
    }

    /// <summary>Runs corskit and returns its standard output (a test of an error reads <see cref="RunAllAsync"/>).</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        var (exit, output, _) = await RunAllAsync(args);
        return (exit, output);
    }

    public static async Task<(int ExitCode, JsonElement Json)> RunJsonAsync(params string[] args)
    {
        var (exit, output) = await RunAsync([.. args, "--format", "json"]);
        return (exit, JsonDocument.Parse(output).RootElement);
    }
}

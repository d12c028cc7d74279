using System.Text.Json;
using Spectre.Console.Testing;

namespace CorsKit.Cli.Tests;

/// <summary>Runs corskit in-process against a test console and returns what a user would see.</summary>
public static class Cli
{
    public static async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        var console = new TestConsole().Width(400);
        var exit = await CorsKitCli.RunAsync(console, args);
        return (exit, console.Output);
    }

    public static async Task<(int ExitCode, JsonElement Json)> RunJsonAsync(params string[] args)
    {
        var (exit, output) = await RunAsync([.. args, "--format", "json"]);
        return (exit, JsonDocument.Parse(output).RootElement);
    }
}

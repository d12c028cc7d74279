using System.Text.Json;
using Spectre.Console.Testing;

namespace CorsKit.Cli.Tests;

// Strict parsing: a mistyped option or a stray argument stops with exit 2 and the option meant, never a changed verdict.
public sealed class UsageTests(MisconfiguredServer server) : IClassFixture<MisconfiguredServer>
{
    private const string Page = MisconfiguredServer.Page;

    [Fact]
    public async Task Check_CredentialTypo_UsageErrorInsteadOfAFlippedVerdict()
    {
        // Before: "--credential" was dropped, the request went without credentials, and '*' passed: ALLOWED, exit 0.
        var (blocked, _) = await Cli.RunJsonAsync("check", server.Url("/star-credentials"), "--origin", Page, "--credentials");

        // Act
        var (exit, output, error) = await Cli.RunAllAsync("check", server.Url("/star-credentials"), "--origin", Page, "--credential");

        // Assert
        Assert.Equal(1, blocked);
        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, output);
        Assert.Equal("corskit: unknown option --credential (did you mean --credentials?); see corskit check --help\n", error);
    }

    [Theory]
    [InlineData(new[] { "check", "http://127.0.0.1:1/", "--origin", Page, "--cred" }, "corskit: unknown option --cred (did you mean --credentials?); see corskit check --help\n")]
    [InlineData(new[] { "check", "http://127.0.0.1:1/", "--origin", Page, "--hedaer", "X-A: 1" }, "corskit: unknown option --hedaer (did you mean --header?); see corskit check --help\n")]
    [InlineData(new[] { "check", "http://127.0.0.1:1/", "--origin", Page, "--fixfor", "flask" }, "corskit: unknown option --fixfor (did you mean --fix-for?); see corskit check --help\n")]
    [InlineData(new[] { "check", "http://127.0.0.1:1/", "--origin", Page, "--verbose" }, "corskit: unknown option --verbose; see corskit check --help\n")]
    [InlineData(new[] { "check", "http://127.0.0.1:1/", "--origin", Page, "-Z" }, "corskit: unknown option -Z; see corskit check --help\n")]
    [InlineData(new[] { "check", "http://127.0.0.1:1/", "--origin", Page, "-H", "X-Token:", "1" }, "corskit: unexpected argument '1': check takes one URL; quote a value with spaces, such as -H \"X-Token: 1\"; see corskit check --help\n")]
    [InlineData(new[] { "check", "http://127.0.0.1:1/", "--origin" }, "corskit: --origin needs a value\n")]
    [InlineData(new[] { "check", "http://127.0.0.1:1/", "-X", "--origin", Page }, "corskit: -X needs a value\n")]
    [InlineData(new[] { "check", "http://127.0.0.1:1/", "--origin", Page, "--fix-for", "django" }, "corskit: --fix-for must be one of: corskit, microsoft, flask, express, nginx\n")]
    [InlineData(new[] { "check", "http://127.0.0.1:1/", "--origin", Page, "--format", "yaml" }, "corskit: --format must be one of: text, json\n")]
    [InlineData(new[] { "check" }, "corskit: Command 'check' is missing required argument 'url'.\n")]
    [InlineData(new[] { "scan", "http://127.0.0.1:1/", "--orign", Page }, "corskit: unknown option --orign (did you mean --origin?); see corskit scan --help\n")]
    [InlineData(new[] { "scan", "http://127.0.0.1:1/", "--fail-on=severe" }, "corskit: --fail-on must be one of: info, low, medium, high, critical\n")]
    [InlineData(new[] { "scan", "http://127.0.0.1:1/", "http://127.0.0.1:2/" }, "corskit: unexpected argument 'http://127.0.0.1:2/': scan takes one URL; quote a value with spaces, such as -H \"X-Token: 1\"; see corskit scan --help\n")]
    [InlineData(new[] { "explain", "a", "b" }, "corskit: unexpected argument 'b': explain takes one message: quote the whole paste; see corskit explain --help\n")]
    [InlineData(new[] { "chek", "http://127.0.0.1:1/" }, "corskit: unknown command 'chek' (did you mean check?); the commands are check, scan, explain\n")]
    [InlineData(new[] { "curl", "http://127.0.0.1:1/" }, "corskit: unknown command 'curl'; the commands are check, scan, explain\n")]
    public async Task Usage_Mistake_ExitTwoOnStderrNamingTheFix(string[] args, string expected)
    {
        // Act
        var (exit, output, error) = await Cli.RunAllAsync(args);

        // Assert
        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, output);
        Assert.Equal(expected, error);
    }

    [Theory]
    [InlineData("check", "--format", "json")]
    [InlineData("check", "--format=json", null)]
    [InlineData("scan", "--format", "sarif")]
    [InlineData("scan", "--format", "json")]
    public async Task Usage_MistakeWithMachineFormat_StdoutIsOneJsonError(string command, string format, string? value)
    {
        string[] args = [command, "http://127.0.0.1:1/", "--origin", Page, "--credentail", format, .. value is null ? Array.Empty<string>() : [value]];

        // Act
        var (exit, output, error) = await Cli.RunAllAsync(args);

        // Assert
        Assert.Equal(2, exit);
        var json = JsonDocument.Parse(output).RootElement;
        Assert.Equal(
            command == "check" ? "unknown option --credentail (did you mean --credentials?); see corskit check --help" : "unknown option --credentail; see corskit scan --help",
            Assert.Single(json.EnumerateObject()).Value.GetString());
        Assert.Equal($"corskit: {json.GetProperty("error").GetString()}\n", error);
    }

    [Fact]
    public async Task Usage_NetworkErrorWithJson_StdoutIsOneJsonError()
    {
        // Act: nothing listens on port 1.
        var (exit, output, error) = await Cli.RunAllAsync("check", "http://127.0.0.1:1/", "--origin", Page, "--format", "json");

        // Assert
        Assert.Equal(2, exit);
        Assert.Equal("{\n  \"error\": \"connection refused: nothing is listening at http://127.0.0.1:1\"\n}\n", output.Replace("\r\n", "\n", StringComparison.Ordinal));
        Assert.Equal("corskit: connection refused: nothing is listening at http://127.0.0.1:1\n", error);
    }

    [Fact]
    public async Task Help_At80Columns_ExamplesKeepQuotesAndBreakOnlyBetweenArguments()
    {
        var console = new TestConsole().Width(80);
        using var error = new StringWriter();

        // Act
        var exit = await CorsKitCli.RunAsync(console, error, ["check", "--help"]);

        // Assert
        Assert.Equal(0, exit);
        Assert.Contains(
            "EXAMPLES:\n"
            + "    corskit check https://api.example/items --origin https://app.example \\\n"
            + "        --credentials\n"
            + "    corskit check https://api.example/items --origin https://app.example \\\n"
            + "        -X PUT -H \"X-Token: 1\"\n"
            + "    corskit check https://api.example/items --origin https://app.example \\\n"
            + "        --fix-for flask\n",
            console.Output,
            StringComparison.Ordinal);
        Assert.Equal(string.Empty, error.ToString());
    }

    [Fact]
    public async Task Help_Wide_EachExampleOnOneLine()
    {
        // Act
        var (exit, output) = await Cli.RunAsync("scan", "--help");

        // Assert
        Assert.Equal(0, exit);
        Assert.Contains(
            "EXAMPLES:\n    corskit scan https://api.example/items --origin https://app.example\n    corskit scan https://api.example/items --format sarif --fail-on high\n",
            output,
            StringComparison.Ordinal);
    }
}

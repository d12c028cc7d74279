namespace CorsKit.Cli.Tests;

/// <summary>Console lines with numbers no browser prints: explained as if the number were absent, never an exception.</summary>
public sealed class ExplainHostileInputTests
{
    private const string Firefox = "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example/x. (Reason: CORS header ‘Access-Control-Allow-Origin’ missing).";

    [Theory]
    [InlineData(Firefox + " Status code: 99999999999.", Firefox)]
    [InlineData("Preflight response is not successful. Status code: 4294967296", "Preflight response is not successful.")]
    public async Task Explain_StatusOutOfRange_ExplainedWithoutIt(string message, string withoutStatus)
    {
        var (expectedExit, expected) = await Cli.RunAsync("explain", withoutStatus, "--no-color");

        var (exit, output) = await Cli.RunAsync("explain", message, "--no-color");

        Assert.Equal(0, expectedExit);
        Assert.Equal((0, expected), (exit, output));
    }
}

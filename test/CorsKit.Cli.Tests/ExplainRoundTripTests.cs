namespace CorsKit.Cli.Tests;

// What `check` predicts each engine prints, fed back to `explain`: every engine's console lines are understood, and name
// the check `check` found (WebKit's origin line names it among the failures it reads alike).
public sealed class ExplainRoundTripTests(MisconfiguredServer server) : IClassFixture<MisconfiguredServer>
{
    private const string Page = MisconfiguredServer.Page;

    public static TheoryData<string, string, bool> Scenarios() => new()
    {
        { "/missing", "GET", false },
        { "/error-500", "GET", false },
        { "/two-values", "GET", false },
        { "/star-credentials", "GET", true },
        { "/capital-true", "GET", true },
        { "/preflight-302", "PUT", false },
        { "/preflight-404", "PUT", false },
        { "/get-post", "PUT", false },
        { "/lowercase", "PUT", false },
    };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Explain_ChecksPredictionForEachEngine_NamesTheSameCheck(string path, string method, bool credentials)
    {
        // Arrange
        string[] args = ["check", server.Url(path), "--origin", Page, "-X", method, .. credentials ? new[] { "--credentials" } : []];
        var (_, check) = await Cli.RunJsonAsync(args);
        var failed = check.GetProperty("failedCheck").GetString()!;
        var pastes = new Dictionary<string, string>
        {
            ["Chromium"] = check.GetProperty("chromiumMessage").GetString()!,
            ["Firefox"] = string.Join('\n', check.GetProperty("firefoxConsole").EnumerateArray().Select(l => l.GetString())),
            ["WebKit"] = string.Join('\n', check.GetProperty("webkitConsole").EnumerateArray().Select(l => "[Error] " + l.GetString())),
        };

        foreach (var (browser, paste) in pastes)
        {
            // Act
            var (exit, json) = await Cli.RunJsonAsync("explain", paste);

            // Assert
            Assert.Equal(0, exit);
            Assert.Equal(browser, json.GetProperty("browser").GetString());
            Assert.Equal(server.Url(path), json.GetProperty("url").GetString());
            var named = json.GetProperty("readsAlike").EnumerateArray().Select(e => e.GetString()).Append(json.GetProperty("failedCheck").GetString());
            Assert.True(
                named.Contains(failed) || SameCheckInOtherWords(browser, failed, json.GetProperty("failedCheck").GetString()!),
                $"{browser}: check found {failed}, explain read {json.GetProperty("failedCheck").GetString()} from: {paste}");
        }
    }

    // Where an engine checks in another order than Chromium (whose order `check` reports): WebKit reads a failed
    // preflight's status before its Allow-Origin; Firefox reads a redirected preflight's Allow-Origin before the redirect.
    private static bool SameCheckInOtherWords(string browser, string failed, string read) => (browser, failed, read) switch
    {
        ("WebKit", "MissingAllowOrigin", "PreflightInvalidStatus") => true,
        ("Firefox", "PreflightRedirect", "MissingAllowOrigin") => true,
        _ => false,
    };
}

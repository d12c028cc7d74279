using System.Text.Json;

namespace CorsKit.Cli.Tests;

// WebKit's (Safari's) lines in `corskit check`, worded as WebKitGTK 2.50's MiniBrowser printed them (docs/webkit.md).
public sealed class CheckWebKitTests(MisconfiguredServer server) : IClassFixture<MisconfiguredServer>
{
    private const string Page = MisconfiguredServer.Page;

    [Theory]
    [InlineData("/missing", "GET", false, "Origin https://app.example.com is not allowed by Access-Control-Allow-Origin. Status code: 200")]
    [InlineData("/error-500", "GET", false, "Origin https://app.example.com is not allowed by Access-Control-Allow-Origin. Status code: 500")]
    [InlineData("/two-values", "GET", false, "Access-Control-Allow-Origin cannot contain more than one origin.")]
    [InlineData("/star-credentials", "GET", true, "Cannot use wildcard in Access-Control-Allow-Origin when credentials flag is true.")]
    [InlineData("/capital-true", "GET", true, "Credentials flag is true, but Access-Control-Allow-Credentials is not \"true\".")]
    [InlineData("/preflight-302", "PUT", false, "Preflight response is not successful. Status code: 302")]
    [InlineData("/preflight-404", "PUT", false, "Preflight response is not successful. Status code: 404")]
    [InlineData("/get-post", "PUT", false, "Header Access-Control-Allow-Methods has an invalid value: GET POST")]
    [InlineData("/lowercase", "PUT", false, "Method PUT is not allowed by Access-Control-Allow-Methods.")]
    public async Task CheckJson_Misconfigured_CarriesWebKitsLines(string path, string method, bool credentials, string reason)
    {
        // Arrange
        string[] args = ["check", server.Url(path), "--origin", Page, "-X", method, .. credentials ? new[] { "--credentials" } : []];

        // Act
        var (exit, json) = await Cli.RunJsonAsync(args);

        // Assert
        Assert.Equal(1, exit);
        Assert.Equal(reason, json.GetProperty("webkitMessage").GetString());
        Assert.Equal(
            [reason, $"Fetch API cannot load {server.Url(path)} due to access control checks."],
            json.GetProperty("webkitConsole").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task CheckJson_Allowed_HasNoWebKitLines()
    {
        // Act
        var (exit, json) = await Cli.RunJsonAsync("check", server.Url("/ok"), "--origin", Page, "--credentials");

        // Assert
        Assert.Equal(0, exit);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("webkitMessage").ValueKind);
        Assert.Equal(0, json.GetProperty("webkitConsole").GetArrayLength());
    }

    [Fact]
    public async Task CheckText_PreflightNotFound_PrintsAllThreeEnginesConsoles()
    {
        // Arrange
        var url = server.Url("/preflight-404");
        var firefox = $"Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at {url}.";

        // Act
        var (exit, output) = await Cli.RunAsync("check", url, "--origin", Page, "-X", "PUT", "--no-color");

        // Assert
        Assert.Equal(1, exit);
        Assert.Contains(
            "BLOCKED: MissingAllowOrigin (on the preflight)\n"
            + "Chromium's console:\n"
            + $"  Access to fetch at '{url}' from origin '{Page}' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource.\n"
            + "Firefox's console:\n"
            + $"  {firefox} (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 404.\n"
            + $"  {firefox} (Reason: CORS request did not succeed). Status code: (null).\n"
            + "WebKit's (Safari's) console:\n"
            + "  Preflight response is not successful. Status code: 404\n"
            + $"  Fetch API cannot load {url} due to access control checks.\n",
            output,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckText_MaxAgeOfADay_WebKitCapsItAtTenMinutes()
    {
        // Act
        var (exit, output) = await Cli.RunAsync("check", server.Url("/max-age-day"), "--origin", Page, "-X", "PUT", "--no-color");

        // Assert
        Assert.Equal(0, exit);
        Assert.Contains("Preflight cached for: Chromium 7200 s, Firefox 86400 s, WebKit 600 s\n", output, StringComparison.Ordinal);
    }
}

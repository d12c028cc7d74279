using System.Text.Json;
using CorsKit.Demo;

namespace CorsKit.Cli.Tests;

public sealed class ScanCommandTests(MisconfiguredServer server) : IClassFixture<MisconfiguredServer>
{
    [Fact]
    public async Task Scan_ReflectingServerWithCredentials_CriticalFindingsAndExitOne()
    {
        var (exit, json) = await Cli.RunJsonAsync("scan", server.Url("/reflect"));

        Assert.Equal(1, exit);
        var findings = json.GetProperty("findings").EnumerateArray().ToList();
        var reflect = Assert.Single(findings, f => f.GetProperty("id").GetString() == "CORS001");
        Assert.Equal("critical", reflect.GetProperty("severity").GetString());
        Assert.Equal("Reflects any origin, with credentials", reflect.GetProperty("title").GetString());
        Assert.Equal("Access-Control-Allow-Origin: http://corskit-probe.example:" + new Uri(server.BaseUrl).Port + "; Access-Control-Allow-Credentials: true", reflect.GetProperty("evidence").GetString());
        Assert.Contains(findings, f => f.GetProperty("id").GetString() == "CORS006" && f.GetProperty("probeOrigin").GetString() == "null");
        Assert.Contains(findings, f => f.GetProperty("id").GetString() == "CORS011");
    }

    [Fact]
    public async Task Scan_Sarif_IsSarif210WithOneResultPerFinding()
    {
        var (_, json) = await Cli.RunJsonAsync("scan", server.Url("/reflect"));
        var (exit, output) = await Cli.RunAsync("scan", server.Url("/reflect"), "--format", "sarif");

        Assert.Equal(1, exit);
        var sarif = JsonDocument.Parse(output).RootElement;
        Assert.Equal("2.1.0", sarif.GetProperty("version").GetString());
        var run = Assert.Single(sarif.GetProperty("runs").EnumerateArray());
        Assert.Equal("corskit", run.GetProperty("tool").GetProperty("driver").GetProperty("name").GetString());
        Assert.Equal(json.GetProperty("findings").GetArrayLength(), run.GetProperty("results").GetArrayLength());
        Assert.Equal("error", run.GetProperty("results")[0].GetProperty("level").GetString());
    }

    [Fact]
    public async Task Scan_NoVaryOnCacheableEcho_MediumFindingAndFailOnDecidesExit()
    {
        var (exit, json) = await Cli.RunJsonAsync("scan", server.Url("/no-vary"), "--origin", MisconfiguredServer.Page);
        var (exitHigh, _) = await Cli.RunJsonAsync("scan", server.Url("/no-vary"), "--origin", MisconfiguredServer.Page, "--fail-on", "high");

        var finding = Assert.Single(json.GetProperty("findings").EnumerateArray());
        Assert.Equal("CORS011", finding.GetProperty("id").GetString());
        Assert.Equal("medium", finding.GetProperty("severity").GetString());
        Assert.Equal(1, exit);
        Assert.Equal(0, exitHigh);
    }

    [Fact]
    public async Task Scan_Demo_AsShipped_NoFinding()
    {
        await using var demo = DemoApp.Build(["--environment", "Production", "--api", "http://127.0.0.1:0", "--serve-page", "false"]);
        await demo.StartAsync();
        var api = demo.Urls.Single().TrimEnd('/');

        foreach (var path in new[] { "/api/items", "/api/public" })
        {
            var (exit, output) = await Cli.RunAsync("scan", api + path, "--origin", DemoApp.DefaultPageUrl, "--no-color");

            Assert.Equal(0, exit);
            Assert.EndsWith("No finding: no crafted origin was trusted, and answers that depend on Origin vary on it.\n", output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Scan_BadFailOn_ExitTwo()
    {
        var (exit, output, error) = await Cli.RunAllAsync("scan", server.Url("/reflect"), "--fail-on", "severe");

        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, output);
        Assert.Equal("corskit: --fail-on must be one of: info, low, medium, high, critical\n", error);
    }

    [Fact]
    public async Task Scan_PrefixCheckedAllowList_FoundThroughTheGivenOriginsLookalike()
    {
        // The server trusts any origin that starts with https://app.example.com; lookalikes of the API's host (127.0.0.1)
        // cannot show it, the lookalikes of the --origin given do.
        var (cleanExit, clean) = await Cli.RunJsonAsync("scan", server.Url("/prefix-check"));

        // Act
        var (exit, json) = await Cli.RunJsonAsync("scan", server.Url("/prefix-check"), "--origin", MisconfiguredServer.Page);

        // Assert
        Assert.Equal(0, cleanExit);
        Assert.Equal(0, clean.GetProperty("findings").GetArrayLength());
        Assert.Equal(1, exit);
        var findings = json.GetProperty("findings").EnumerateArray().Select(f => $"{f.GetProperty("id").GetString()} {f.GetProperty("probeOrigin").GetString()}").ToList();
        Assert.Equal(["CORS002 https://app.example.com.corskit-probe.example", "CORS009 https://app.example.com_.corskit-probe.example"], findings);
    }

    [Fact]
    public async Task Scan_GivenOrigin_NeverProbedAsALookalike()
    {
        // Act
        var (_, json) = await Cli.RunJsonAsync("scan", server.Url("/prefix-check"), "--origin", MisconfiguredServer.Page);

        // Assert
        Assert.DoesNotContain(json.GetProperty("findings").EnumerateArray(), f => f.GetProperty("probeOrigin").GetString() == MisconfiguredServer.Page);
    }

    [Fact]
    public async Task Scan_Sarif_InformationAndHelpUrisPointAtTheRulesPage()
    {
        // Act
        var (_, output) = await Cli.RunAsync("scan", server.Url("/reflect"), "--format", "sarif");

        // Assert
        var driver = JsonDocument.Parse(output).RootElement.GetProperty("runs")[0].GetProperty("tool").GetProperty("driver");
        Assert.Equal("https://github.com/corskit/corskit/blob/main/docs/scan-rules.md", driver.GetProperty("informationUri").GetString());
        foreach (var rule in driver.GetProperty("rules").EnumerateArray())
        {
            Assert.Equal($"https://github.com/corskit/corskit/blob/main/docs/scan-rules.md#{rule.GetProperty("id").GetString()!.ToLowerInvariant()}", rule.GetProperty("helpUri").GetString());
        }
    }

    [Fact]
    public void RulesPage_HasAnAnchorForEveryRuleTheScanReports()
    {
        // Arrange: every rule id in the scanner's sources.
        var sources = string.Join('\n', Directory.GetFiles(Repository.Path("src", "CorsKit.Cli", "Scan"), "*.cs").Select(File.ReadAllText));
        var ids = System.Text.RegularExpressions.Regex.Matches(sources, "\"(CORS\\d{3})\"").Select(m => m.Groups[1].Value).Distinct().Order().ToList();

        // Act
        var page = File.ReadAllText(Repository.Path("docs", "scan-rules.md"));

        // Assert
        Assert.Equal(11, ids.Count);
        Assert.All(ids, id => Assert.Contains($"<a id=\"{id.ToLowerInvariant()}\"></a>\n## {id}: ", page, StringComparison.Ordinal));
    }
}

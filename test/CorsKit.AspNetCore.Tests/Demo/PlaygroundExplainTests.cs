using System.Net.Http.Json;
using System.Text.Json;
using CorsKit.Demo;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;

namespace CorsKit.AspNetCore.Tests.Demo;

/// <summary>The playground's explain API over exchanges the demo really had: what the page shows beside the browser's verdict.</summary>
public sealed class PlaygroundExplainTests : IAsyncLifetime
{
    private const string Api = DemoApp.DefaultApiUrl;
    private const string Page = DemoApp.DefaultPageUrl;
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _app = DemoApp.Build(["--environment", "Production"], builder => builder.WebHost.UseTestServer());
        await _app.StartAsync();
        _client = _app.GetTestClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task Explain_HeaderThePublicPolicyRefuses_PredictsWebKitsLines()
    {
        // Arrange: the preflight a browser sends for GET /api/public with X-Token.
        var url = $"{Api}/api/public?corskit-run=webkit-blocked";
        await SendAsync(HttpMethod.Options, url, ("Origin", Page), ("Access-Control-Request-Method", "GET"), ("Access-Control-Request-Headers", "x-token"));

        // Act
        var prediction = await ExplainAsync("webkit-blocked", url, "GET", "same-origin");

        // Assert
        Assert.False(prediction.GetProperty("allowed").GetBoolean());
        Assert.Equal(
            ["Request header field X-Token is not allowed by Access-Control-Allow-Headers.", $"Fetch API cannot load {url} due to access control checks."],
            prediction.GetProperty("webKitConsole").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Explain_HeaderThePublicPolicyRefuses_ShowsTheFixCorsKitCheckPrints()
    {
        // Arrange: the preflight a browser sends for GET /api/public with X-Token.
        var url = $"{Api}/api/public?corskit-run=fix-blocked";
        await SendAsync(HttpMethod.Options, url, ("Origin", Page), ("Access-Control-Request-Method", "GET"), ("Access-Control-Request-Headers", "x-token"));

        // Act
        var fix = (await ExplainAsync("fix-blocked", url, "GET", "same-origin")).GetProperty("fix");

        // Assert
        Assert.Equal("Add x-token to Access-Control-Allow-Headers.", fix.GetProperty("summary").GetString());
        Assert.Equal(
            [$"Access-Control-Allow-Origin: {Page}", "Access-Control-Allow-Headers: x-token   (on the preflight)", "Vary: Origin"],
            fix.GetProperty("headers").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(0, fix.GetProperty("notes").GetArrayLength());
        var snippets = fix.GetProperty("snippets").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
        Assert.Equal(
            ["ASP.NET Core (CorsKit)", "ASP.NET Core (Microsoft.AspNetCore.Cors)", "Flask (flask-cors)", "Express (cors)", "nginx"],
            snippets.Keys);
        Assert.Equal(
            $"builder.Services.AddCorsKit(o => o.AddDefaultPolicy(p => p\n    .WithOrigins(\"{Page}\")\n    .WithHeaders(\"x-token\")));\n"
            + "app.UseCorsKit();   // anywhere: CorsKit runs outermost, so errors carry the headers too",
            snippets["ASP.NET Core (CorsKit)"]);
        Assert.Equal(
            $"from flask_cors import CORS\nCORS(app, origins=[\"{Page}\"], allow_headers=[\"x-token\"])\n"
            + "# keep debug off to see the headers on 500s: flask-cors skips them when the exception propagates",
            snippets["Flask (flask-cors)"]);
    }

    [Fact]
    public async Task Explain_PreflightedDeleteThatPasses_NoWebKitLinesAndItsCache()
    {
        // Arrange: the preflight and the request a browser sends for a credentialed DELETE /api/items with X-Token.
        var url = $"{Api}/api/items?corskit-run=webkit-allowed";
        await SendAsync(HttpMethod.Options, url, ("Origin", Page), ("Access-Control-Request-Method", "DELETE"), ("Access-Control-Request-Headers", "x-token"));
        await SendAsync(HttpMethod.Delete, url, ("Origin", Page), ("X-Token", "abc"));

        // Act
        var prediction = await ExplainAsync("webkit-allowed", url, "DELETE", "include");

        // Assert
        Assert.True(prediction.GetProperty("allowed").GetBoolean());
        Assert.Equal(0, prediction.GetProperty("webKitConsole").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, prediction.GetProperty("fix").ValueKind);
        var hop = Assert.Single(prediction.GetProperty("hops").EnumerateArray());
        Assert.Equal(600, hop.GetProperty("webKitCacheSeconds").GetDouble());
    }

    private async Task SendAsync(HttpMethod method, string url, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, url);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await _client.SendAsync(request);
    }

    private async Task<JsonElement> ExplainAsync(string run, string url, string method, string credentials)
    {
        using var response = await _client.PostAsJsonAsync(
            $"{Page}/playground/api/explain",
            new { run, url, origin = Page, method, headers = new[] { new { name = "X-Token", value = "abc" } }, credentials, initiator = "fetch" });
        Assert.Equal(200, (int)response.StatusCode);
        var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(JsonValueKind.Null, answer.GetProperty("error").ValueKind);
        Assert.Empty(answer.GetProperty("disagreements").EnumerateArray());
        return answer.GetProperty("prediction");
    }
}

using System.Text.Json;
using CorsKit.Demo;

namespace CorsKit.Cli.Tests;

// What `check` says beyond the verdict: a failure CORS allows, the smallest fix, one framework's snippet.
public sealed class CheckFixTests(MisconfiguredServer server) : IClassFixture<MisconfiguredServer>
{
    private const string Page = MisconfiguredServer.Page;

    [Fact]
    public async Task Check_AllowedButServerFailed_SaysAllowedByCorsAndNamesThe500()
    {
        // Act
        var (exit, output) = await Cli.RunAsync("check", server.Url("/allowed-500"), "--origin", Page, "--no-color");

        // Assert
        Assert.Equal(0, exit);
        Assert.Contains("HTTP/1.1 500 Internal Server Error\n", output, StringComparison.Ordinal);
        Assert.Contains("\ndatabase is down\n", output, StringComparison.Ordinal);
        Assert.Contains(
            "\nALLOWED by CORS, but the request failed: 500 Internal Server Error. The script gets this response (response.ok is false), not a CORS error: fix the 500 (its body is above).\nScript can read: content-length, content-type\n",
            output,
            StringComparison.Ordinal);
        Assert.DoesNotContain("ALLOWED: the browser gives", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckJson_AllowedButServerFailed_AllowedWithServerError()
    {
        // Act
        var (exit, json) = await Cli.RunJsonAsync("check", server.Url("/allowed-500"), "--origin", Page);

        // Assert
        Assert.Equal(0, exit);
        Assert.True(json.GetProperty("allowed").GetBoolean());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("failedCheck").ValueKind);
        Assert.Equal(500, json.GetProperty("serverError").GetProperty("status").GetInt32());
        Assert.Equal("database is down", json.GetProperty("serverError").GetProperty("body").GetString());
    }

    [Fact]
    public async Task CheckJson_AllowedAndOk_NoServerError()
    {
        // Act
        var (_, json) = await Cli.RunJsonAsync("check", server.Url("/ok"), "--origin", Page);

        // Assert
        Assert.Equal(JsonValueKind.Null, json.GetProperty("serverError").ValueKind);
    }

    [Theory]
    [InlineData("flask", "Flask (flask-cors)", "from flask_cors import CORS\nCORS(app, origins=[\"https://app.example.com\"], supports_credentials=True)\n# keep debug off to see the headers on 500s: flask-cors skips them when the exception propagates")]
    [InlineData("express", "Express (cors)", "const cors = require('cors');\napp.use(cors({ origin: ['https://app.example.com'], credentials: true }));   // before the routes and before auth")]
    [InlineData("CorsKit", "ASP.NET Core (CorsKit)", "builder.Services.AddCorsKit(o => o.AddDefaultPolicy(p => p\n    .WithOrigins(\"https://app.example.com\")\n    .AllowCredentials()));\napp.UseCorsKit();   // anywhere: CorsKit runs outermost, so errors carry the headers too")]
    public async Task CheckJson_FixFor_OnlyThatFrameworksSnippet(string fixFor, string name, string snippet)
    {
        // Act
        var (exit, json) = await Cli.RunJsonAsync("check", server.Url("/star-credentials"), "--origin", Page, "--credentials", "--fix-for", fixFor);

        // Assert
        Assert.Equal(1, exit);
        var only = Assert.Single(json.GetProperty("fix").GetProperty("snippets").EnumerateObject());
        Assert.Equal(name, only.Name);
        Assert.Equal(snippet, only.Value.GetString());
    }

    [Fact]
    public async Task Check_FixForNginx_PrintsOnlyNginx()
    {
        // Act
        var (_, output) = await Cli.RunAsync("check", server.Url("/missing"), "--origin", Page, "--fix-for", "nginx", "--no-color");

        // Assert
        Assert.EndsWith(
            "\nnginx:\n    # http { }\n    map $http_origin $cors_origin {\n        default \"\";\n        \"https://app.example.com\" $http_origin;\n    }\n    # server { location ... { }\n    add_header Access-Control-Allow-Origin $cors_origin always;\n    add_header Vary Origin always;\n    proxy_hide_header Access-Control-Allow-Origin;   # never pass a second value from the app\n    if ($request_method = OPTIONS) { return 204; }\n",
            output,
            StringComparison.Ordinal);
        Assert.DoesNotContain("Flask", output, StringComparison.Ordinal);
        Assert.DoesNotContain("ASP.NET Core", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_CorsKitServerNamesItsPolicy_FixAddsTheHeaderToThatPolicy()
    {
        // Arrange: the demo in Development, so its refusals carry X-CorsKit-Reason.
        await using var demo = DemoApp.Build(["--environment", "Development", "--api", "http://127.0.0.1:0", "--serve-page", "false"]);
        await demo.StartAsync();
        var url = demo.Urls.Single().TrimEnd('/') + "/api/items";

        // Act
        var (exit, output) = await Cli.RunAsync("check", url, "--origin", DemoApp.DefaultPageUrl, "-X", "PUT", "-H", "X-Api-Key: k", "--credentials", "--no-color");

        // Assert
        Assert.Equal(1, exit);
        Assert.Contains("X-CorsKit-Reason: header 'x-api-key' is not allowed by policy 'items'; allowed: x-token, content-type\n", output, StringComparison.Ordinal);
        Assert.EndsWith(
            "\nFix:\n  Policy 'items' does not allow header x-api-key (it allows x-token, content-type): add it to that policy.\n"
            + "The server must send:\n  Access-Control-Allow-Origin: http://127.0.0.1:5081\n  Access-Control-Allow-Credentials: true\n  Access-Control-Allow-Methods: PUT   (on the preflight)\n  Access-Control-Allow-Headers: x-api-key   (on the preflight)\n  Vary: Origin\n\n"
            + "ASP.NET Core (CorsKit):\n"
            + "    // policy 'items' allows headers x-token, content-type; add x-api-key where it is built:\n"
            + "    options.AddPolicy(\"items\", p => p\n"
            + "        ...                                   // what it has now\n"
            + "        .WithHeaders(\"x-api-key\"));   // added: WithHeaders adds to what the policy has\n",
            output,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckJson_CorsKitServerRefusesTheOrigin_FixNamesThePolicyAndTheOrigin()
    {
        // Arrange
        await using var demo = DemoApp.Build(["--environment", "Development", "--api", "http://127.0.0.1:0", "--serve-page", "false"]);
        await demo.StartAsync();
        var url = demo.Urls.Single().TrimEnd('/') + "/api/items";

        // Act
        var (exit, json) = await Cli.RunJsonAsync("check", url, "--origin", "http://localhost:3000");

        // Assert
        Assert.Equal(1, exit);
        var fix = json.GetProperty("fix");
        Assert.Equal("Policy 'items' does not allow origin http://localhost:3000 (it allows http://127.0.0.1:5081): add it to that policy.", fix.GetProperty("summary").GetString());
        Assert.Equal("{\"name\":\"items\",\"kind\":\"origin\",\"missing\":\"http://localhost:3000\",\"allowed\":\"http://127.0.0.1:5081\"}", fix.GetProperty("policy").GetRawText().Replace("\n", string.Empty, StringComparison.Ordinal).Replace(" ", string.Empty, StringComparison.Ordinal));
        var snippet = Assert.Single(fix.GetProperty("snippets").EnumerateObject());
        Assert.Equal("ASP.NET Core (CorsKit)", snippet.Name);
        Assert.Equal(
            "// policy 'items' allows origins http://127.0.0.1:5081; add http://localhost:3000 where it is built:\noptions.AddPolicy(\"items\", p => p\n    ...                                   // what it has now\n    .WithOrigins(\"http://localhost:3000\"));   // added: WithOrigins adds to what the policy has",
            snippet.Value.GetString());
    }

    [Fact]
    public async Task CheckJson_CorsKitServerWithFixForFlask_FlaskSnippetStill()
    {
        // Arrange
        await using var demo = DemoApp.Build(["--environment", "Development", "--api", "http://127.0.0.1:0", "--serve-page", "false"]);
        await demo.StartAsync();
        var url = demo.Urls.Single().TrimEnd('/') + "/api/items";

        // Act
        var (_, json) = await Cli.RunJsonAsync("check", url, "--origin", "http://localhost:3000", "--fix-for", "flask");

        // Assert
        var snippet = Assert.Single(json.GetProperty("fix").GetProperty("snippets").EnumerateObject());
        Assert.Equal("Flask (flask-cors)", snippet.Name);
    }
}

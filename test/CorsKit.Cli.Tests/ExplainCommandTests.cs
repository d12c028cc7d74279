using System.Text.Json;
using CorsKit.Browser;

namespace CorsKit.Cli.Tests;

public sealed class ExplainCommandTests
{
    private const string Url = "http://127.0.0.1:8002/api/items";
    private const string Origin = "http://127.0.0.1:8001";

    // Messages as real Chromium 156 printed them (copied from its console), and Firefox's wording from Gecko.
    [Theory]
    [InlineData("Access to fetch at 'http://127.0.0.1:8002/api/items' from origin 'http://127.0.0.1:8001' has been blocked by CORS policy: Request header field x-token is not allowed by Access-Control-Allow-Headers in preflight response.", "HeaderDisallowedByPreflightResponse", "x-token")]
    [InlineData("Access to fetch at 'http://127.0.0.1:8002/api/items' from origin 'http://127.0.0.1:8001' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.", "MissingAllowOrigin", null)]
    [InlineData("Access to fetch at 'http://127.0.0.1:8002/api/items' from origin 'http://127.0.0.1:8001' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: It does not have HTTP ok status.", "PreflightInvalidStatus", null)]
    [InlineData("Access to XMLHttpRequest at 'http://127.0.0.1:8002/api/items' from origin 'http://127.0.0.1:8001' has been blocked by CORS policy: The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'. The credentials mode of requests initiated by the XMLHttpRequest is controlled by the withCredentials attribute.", "WildcardOriginWithCredentials", null)]
    [InlineData("Access to fetch at 'http://127.0.0.1:8002/api/items' from origin 'http://127.0.0.1:8001' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header has a value 'https://prod.example.com' that is not equal to the supplied origin. Have the server send the header with a valid value.", "AllowOriginMismatch", "https://prod.example.com")]
    [InlineData("Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at http://127.0.0.1:8002/api/items. (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 500.", "MissingAllowOrigin", null)]
    [InlineData("Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at http://127.0.0.1:8002/api/items. (Reason: header ‘x-token’ is not allowed according to header ‘Access-Control-Allow-Headers’ from CORS preflight response).", "HeaderDisallowedByPreflightResponse", "x-token")]
    [InlineData("Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at http://127.0.0.1:8002/api/items. (Reason: Did not find method in CORS header ‘Access-Control-Allow-Methods’).", "MethodDisallowedByPreflightResponse", null)]
    public async Task Explain_RealMessage_RecognisedWithValue(string message, string failedCheck, string? value)
    {
        var (exit, json) = await Cli.RunJsonAsync("explain", message);

        Assert.Equal(0, exit);
        Assert.Equal(failedCheck, json.GetProperty("failedCheck").GetString());
        Assert.Equal(Url, json.GetProperty("url").GetString());
        Assert.Equal(value, json.GetProperty("value").GetString());
        Assert.NotEmpty(json.GetProperty("meaning").GetString()!);
        Assert.NotEmpty(json.GetProperty("causes").EnumerateArray());
    }

    // Every failure the browser model can report, in every wording the model produces, is recognised.
    public static TheoryData<CorsFailure, bool, RequestInitiator> EveryMessage()
    {
        var data = new TheoryData<CorsFailure, bool, RequestInitiator>();
        foreach (var failure in Enum.GetValues<CorsFailure>().Where(f => f != CorsFailure.None))
        {
            foreach (var onPreflight in new[] { false, true })
            {
                data.Add(failure, onPreflight, RequestInitiator.Fetch);
                data.Add(failure, onPreflight, RequestInitiator.XmlHttpRequest);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryMessage))]
    public async Task Explain_EveryModelMessage_Recognised(CorsFailure failure, bool onPreflight, RequestInitiator initiator)
    {
        var message = ChromiumMessages.Blocked(new CorsCheckResult(failure, "PUT", onPreflight), Url, Origin, initiator);

        var (exit, json) = await Cli.RunJsonAsync("explain", message);

        Assert.Equal(0, exit);
        Assert.Equal(failure.ToString(), json.GetProperty("failedCheck").GetString());
        Assert.Equal(Origin, json.GetProperty("origin").GetString());
    }

    [Fact]
    public async Task Explain_HeaderMessage_FixAllowsThatHeaderForThatOrigin()
    {
        var (_, json) = await Cli.RunJsonAsync("explain", "Access to fetch at 'http://127.0.0.1:8002/api/items' from origin 'http://127.0.0.1:8001' has been blocked by CORS policy: Request header field x-token is not allowed by Access-Control-Allow-Headers in preflight response.");

        var fix = json.GetProperty("fix");
        Assert.Equal("Add x-token to Access-Control-Allow-Headers.", fix.GetProperty("summary").GetString());
        Assert.Equal(
            "builder.Services.AddCorsKit(o => o.AddDefaultPolicy(p => p\n    .WithOrigins(\"http://127.0.0.1:8001\")\n    .WithHeaders(\"x-token\")));\napp.UseCorsKit();   // anywhere: CorsKit runs outermost, so errors carry the headers too",
            fix.GetProperty("snippets").GetProperty("ASP.NET Core (CorsKit)").GetString());
        Assert.Equal("from flask_cors import CORS\nCORS(app, origins=[\"http://127.0.0.1:8001\"], allow_headers=[\"x-token\"])\n# keep debug off to see the headers on 500s: flask-cors skips them when the exception propagates", fix.GetProperty("snippets").GetProperty("Flask (flask-cors)").GetString());
    }

    [Fact]
    public async Task Explain_FirefoxsRequestDidNotSucceedLine_IsANetworkError()
    {
        // The line Firefox 153 adds after a failed preflight, its status "(null)" as printed (docs/browser-engines.md).
        var (exit, json) = await Cli.RunJsonAsync("explain", $"Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at {Url}. (Reason: CORS request did not succeed). Status code: (null).");

        Assert.Equal(0, exit);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("failedCheck").ValueKind);
        Assert.Equal(Url, json.GetProperty("url").GetString());
    }

    [Fact]
    public async Task Explain_NotACorsMessage_ExitTwo()
    {
        var (exit, output, error) = await Cli.RunAllAsync("explain", "Uncaught TypeError: x is undefined", "--no-color");

        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, output);
        Assert.Equal("corskit: explain: not a CORS message I know. Paste the browser's whole console line, such as \"Access to fetch at ...\" (Chromium), \"Cross-Origin Request Blocked: ...\" (Firefox) or \"Origin ... is not allowed by Access-Control-Allow-Origin. ...\" (Safari).\n", error);
    }

    [Fact]
    public async Task Explain_Colour_OnlyWithoutNoColor()
    {
        const string Message = "Access to fetch at 'http://a.example/' from origin 'http://b.example' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.";

        var (_, coloured) = await Cli.RunAsync("explain", Message);
        var (_, plain) = await Cli.RunAsync("explain", Message, "--no-color");

        Assert.Contains("\u001b[", coloured, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", plain, StringComparison.Ordinal);
        Assert.StartsWith("Chromium: MissingAllowOrigin\n  request: http://a.example/ from origin http://b.example\n", plain, StringComparison.Ordinal);
    }
}

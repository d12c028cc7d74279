using System.Text.Json;

namespace CorsKit.Cli.Tests;

// `corskit explain` on messages as people paste them: console prefixes, several lines, older browsers, other engines.
public sealed class ExplainPasteTests
{
    private const string Url = "http://127.0.0.1:8002/api/items";
    private const string Origin = "http://127.0.0.1:8001";
    private const string Chromium = $"Access to fetch at '{Url}' from origin '{Origin}' has been blocked by CORS policy: ";
    private const string MissingAllowOrigin = "No 'Access-Control-Allow-Origin' header is present on the requested resource.";
    private const string OpaqueTip = " If an opaque response serves your needs, set the request's mode to 'no-cors' to fetch the resource with CORS disabled.";
    private const string Firefox = $"Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at {Url}. (Reason: ";

    [Theory]
    [InlineData("localhost/:1 ")]
    [InlineData("app.js:12 ")]
    [InlineData("(index):1 ")]
    [InlineData("main.js:12:5 ")]
    [InlineData("http://127.0.0.1:8001/:1 ")]
    [InlineData("[Error] ")]
    [InlineData("  ")]
    public async Task Explain_ConsolePrefix_Ignored(string prefix)
    {
        // Act
        var (exit, json) = await Cli.RunJsonAsync("explain", prefix + Chromium + MissingAllowOrigin);

        // Assert
        Assert.Equal(0, exit);
        Assert.Equal("Chromium", json.GetProperty("browser").GetString());
        Assert.Equal("MissingAllowOrigin", json.GetProperty("failedCheck").GetString());
        Assert.Equal(Url, json.GetProperty("url").GetString());
        Assert.Equal(Origin, json.GetProperty("origin").GetString());
    }

    [Fact]
    public async Task Explain_MultiLinePaste_FindsTheCorsLineAndReadsTheRequestLine()
    {
        // As Chromium's console shows a refused GET that the server answered 500, copied with its source locations.
        var paste = $"localhost/:1 {Chromium}{MissingAllowOrigin}\napp.js:12 GET {Url} net::ERR_FAILED 500 (Internal Server Error)\napp.js:14 Uncaught (in promise) TypeError: Failed to fetch";

        // Act
        var (exit, json) = await Cli.RunJsonAsync("explain", paste);

        // Assert
        Assert.Equal(0, exit);
        Assert.Equal("MissingAllowOrigin", json.GetProperty("failedCheck").GetString());
        Assert.Equal("GET", json.GetProperty("method").GetString());
        Assert.Equal(500, json.GetProperty("status").GetInt32());
        Assert.Equal(
            ["The server answered 500: that is the real failure. Its error response carried no CORS headers, so the browser reports CORS; fix the 500 (and make error responses carry the CORS headers)."],
            json.GetProperty("notes").EnumerateArray().Select(n => n.GetString()));
        Assert.Equal($"corskit check {Url} --origin {Origin}", json.GetProperty("check").GetString());
    }

    [Fact]
    public async Task Explain_RequestLineFirst_StatusOkIsNoServerFailure()
    {
        // Act
        var (_, json) = await Cli.RunJsonAsync("explain", $"GET {Url} net::ERR_FAILED 200 (OK)\n{Chromium}{MissingAllowOrigin}");

        // Assert
        Assert.Equal("MissingAllowOrigin", json.GetProperty("failedCheck").GetString());
        Assert.Equal(200, json.GetProperty("status").GetInt32());
        Assert.Equal(0, json.GetProperty("notes").GetArrayLength());
    }

    [Fact]
    public async Task Explain_PreflightFailure_CheckCommandReproducesThePreflight()
    {
        var paste = $"{Chromium}Request header field x-token is not allowed by Access-Control-Allow-Headers in preflight response.\nPUT {Url} net::ERR_FAILED";

        // Act
        var (exit, output) = await Cli.RunAsync("explain", paste, "--no-color");

        // Assert
        Assert.Equal(0, exit);
        Assert.StartsWith($"Chromium: HeaderDisallowedByPreflightResponse (on the preflight)\n  request: PUT {Url} from origin {Origin}\n", output, StringComparison.Ordinal);
        Assert.EndsWith($"\nSee exactly what the server answers: corskit check {Url} --origin {Origin} -X PUT -H \"x-token: 1\"\n", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Method PATCH is not allowed by Access-Control-Allow-Methods in preflight response.", $"corskit check {Url} --origin {Origin} -X PATCH -H \"<Header>: <value>\"")]
    [InlineData("Request header field content-type is not allowed by Access-Control-Allow-Headers in preflight response.", $"corskit check {Url} --origin {Origin} -X <METHOD> -H \"content-type: application/json\"")]
    [InlineData("Response to preflight request doesn't pass access control check: It does not have HTTP ok status.", $"corskit check {Url} --origin {Origin} -X <METHOD> -H \"<Header>: <value>\"")]
    [InlineData("The value of the 'Access-Control-Allow-Credentials' header in the response is '' which must be 'true' when the request's credentials mode is 'include'.", $"corskit check {Url} --origin {Origin} --credentials")]
    public async Task Explain_CheckCommand_FillsInWhatTheMessageNames(string reason, string check)
    {
        // Act
        var (_, json) = await Cli.RunJsonAsync("explain", Chromium + reason);

        // Assert
        Assert.Equal(check, json.GetProperty("check").GetString());
    }

    // Older Chromium wordings (before the current cors_error_string.cc), as pasted in questions people still find.
    [Theory]
    [InlineData(Chromium + MissingAllowOrigin + OpaqueTip, "MissingAllowOrigin", false, Origin, null, null)]
    [InlineData(Chromium + "The 'Access-Control-Allow-Origin' header has a value 'https://prod.example.com' that is not equal to the supplied origin. Have the server send the header with a valid value, or, if an opaque response serves your needs, set the request's mode to 'no-cors' to fetch the resource with CORS disabled.", "AllowOriginMismatch", false, Origin, "https://prod.example.com", null)]
    [InlineData("Failed to load " + Url + ": " + MissingAllowOrigin + " Origin '" + Origin + "' is therefore not allowed access." + OpaqueTip, "MissingAllowOrigin", false, Origin, null, null)]
    [InlineData("Failed to load " + Url + ": Response to preflight request doesn't pass access control check: " + MissingAllowOrigin + " Origin '" + Origin + "' is therefore not allowed access. The response had HTTP status code 404." + OpaqueTip, "MissingAllowOrigin", true, Origin, null, 404)]
    [InlineData("Failed to load " + Url + ": The 'Access-Control-Allow-Origin' header has a value 'http://localhost:3000' that is not equal to the supplied origin. Origin '" + Origin + "' is therefore not allowed access.", "AllowOriginMismatch", false, Origin, "http://localhost:3000", null)]
    [InlineData("Failed to load " + Url + ": Request header field x-token is not allowed by Access-Control-Allow-Headers in preflight response.", "HeaderDisallowedByPreflightResponse", true, null, "x-token", null)]
    [InlineData("Failed to load http://127.0.0.1:8002/old: Redirect from 'http://127.0.0.1:8002/old' to '" + Url + "' has been blocked by CORS policy: " + MissingAllowOrigin + " Origin '" + Origin + "' is therefore not allowed access.", "MissingAllowOrigin", false, Origin, null, null)]
    [InlineData("Failed to load " + Url + ": Response for preflight has invalid HTTP status code 405", "PreflightInvalidStatus", true, null, null, 405)]
    [InlineData("Failed to load " + Url + ": Response for preflight is invalid (redirect)", "PreflightRedirect", true, null, null, null)]
    [InlineData("XMLHttpRequest cannot load " + Url + ". " + MissingAllowOrigin + " Origin '" + Origin + "' is therefore not allowed access.", "MissingAllowOrigin", false, Origin, null, null)]
    [InlineData("XMLHttpRequest cannot load " + Url + ". A wildcard '*' cannot be used in the 'Access-Control-Allow-Origin' header when the credentials flag is true. Origin '" + Origin + "' is therefore not allowed access.", "WildcardOriginWithCredentials", false, Origin, null, null)]
    [InlineData("XMLHttpRequest cannot load " + Url + ". Credentials flag is 'true', but the 'Access-Control-Allow-Credentials' header is ''. It must be 'true' to allow credentials. Origin '" + Origin + "' is therefore not allowed access.", "InvalidAllowCredentials", false, Origin, null, null)]
    [InlineData("XMLHttpRequest cannot load " + Url + ". Response for preflight has invalid HTTP status code 401", "PreflightInvalidStatus", true, null, null, 401)]
    public async Task Explain_OlderChromium_Recognised(string message, string failedCheck, bool onPreflight, string? origin, string? value, int? status)
    {
        // Act
        var (exit, json) = await Cli.RunJsonAsync("explain", message);

        // Assert
        Assert.Equal(0, exit);
        Assert.Equal("Chromium", json.GetProperty("browser").GetString());
        Assert.Equal(failedCheck, json.GetProperty("failedCheck").GetString());
        Assert.Equal(onPreflight, json.GetProperty("onPreflight").GetBoolean());
        Assert.Equal(Url, json.GetProperty("url").GetString());
        Assert.Equal(origin, json.GetProperty("origin").GetString());
        Assert.Equal(value, json.GetProperty("value").GetString());
        Assert.Equal(status, json.GetProperty("status").ValueKind == JsonValueKind.Null ? null : json.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Explain_OpaqueTip_SaysNoCorsDoesNotHelp()
    {
        // Act
        var (_, json) = await Cli.RunJsonAsync("explain", Chromium + MissingAllowOrigin + OpaqueTip);

        // Assert
        Assert.Equal(
            ["The tip to set mode 'no-cors' does not help a script that reads the response: a no-cors response is opaque (no status, headers or body). Fix the server instead."],
            json.GetProperty("notes").EnumerateArray().Select(n => n.GetString()));
    }

    [Theory]
    [InlineData("fetch")]
    [InlineData("XMLHttpRequest")]
    [InlineData("font")]
    [InlineData("script")]
    [InlineData("image")]
    [InlineData("CSS stylesheet")]
    public async Task Explain_EveryRequestKindChromiumNames_Recognised(string kind)
    {
        // Act
        var (exit, json) = await Cli.RunJsonAsync("explain", $"Access to {kind} at '{Url}' from origin '{Origin}' has been blocked by CORS policy: {MissingAllowOrigin}");

        // Assert
        Assert.Equal(0, exit);
        Assert.Equal("MissingAllowOrigin", json.GetProperty("failedCheck").GetString());
        Assert.Equal(Url, json.GetProperty("url").GetString());
    }

    [Fact]
    public async Task Explain_RedirectedRequest_ReadsTheFinalUrl()
    {
        // Act
        var (_, json) = await Cli.RunJsonAsync("explain", $"Access to fetch at '{Url}' (redirected from 'http://127.0.0.1:8002/old') from origin '{Origin}' has been blocked by CORS policy: {MissingAllowOrigin}");

        // Assert
        Assert.Equal(Url, json.GetProperty("url").GetString());
        Assert.Equal(Origin, json.GetProperty("origin").GetString());
    }

    [Theory]
    [InlineData("CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 404.", "MissingAllowOrigin", null, 404)]
    [InlineData("CORS header 'Access-Control-Allow-Origin' missing).", "MissingAllowOrigin", null, null)]
    [InlineData("CORS header ‘Access-Control-Allow-Origin’ does not match ‘https://prod.example.com’).", "AllowOriginMismatch", "https://prod.example.com", null)]
    [InlineData("CORS header 'Access-Control-Allow-Origin' does not match 'https://prod.example.com').", "AllowOriginMismatch", "https://prod.example.com", null)]
    [InlineData("Multiple CORS header ‘Access-Control-Allow-Origin’ not allowed).", "MultipleAllowOriginValues", null, null)]
    [InlineData("expected 'true' in CORS header 'Access-Control-Allow-Credentials').", "InvalidAllowCredentials", null, null)]
    [InlineData("CORS preflight response did not succeed). Status code: 401.", "PreflightInvalidStatus", null, 401)]
    [InlineData("CORS preflight channel did not succeed).", "PreflightInvalidStatus", null, null)]
    [InlineData("CORS request external redirect not allowed).", "PreflightRedirect", null, null)]
    [InlineData("invalid token ‘GET POST’ in CORS header ‘Access-Control-Allow-Methods’).", "InvalidAllowMethodsPreflightResponse", "GET POST", null)]
    [InlineData("invalid token 'x token' in CORS header 'Access-Control-Allow-Headers').", "InvalidAllowHeadersPreflightResponse", "x token", null)]
    [InlineData("Did not find method in CORS header 'Access-Control-Allow-Methods').", "MethodDisallowedByPreflightResponse", null, null)]
    [InlineData("header ‘x-token’ is not allowed according to header ‘Access-Control-Allow-Headers’ from CORS preflight response).", "HeaderDisallowedByPreflightResponse", "x-token", null)]
    [InlineData("missing token 'x-token' in CORS header 'Access-Control-Allow-Headers' from CORS preflight channel).", "HeaderDisallowedByPreflightResponse", "x-token", null)]
    public async Task Explain_FirefoxReasons_OlderAndNewerEitherQuotes(string reason, string failedCheck, string? value, int? status)
    {
        // Act
        var (exit, json) = await Cli.RunJsonAsync("explain", Firefox + reason);

        // Assert
        Assert.Equal(0, exit);
        Assert.Equal("Firefox", json.GetProperty("browser").GetString());
        Assert.Equal(failedCheck, json.GetProperty("failedCheck").GetString());
        Assert.Equal(Url, json.GetProperty("url").GetString());
        Assert.Equal(value, json.GetProperty("value").GetString());
        Assert.Equal(status, json.GetProperty("status").ValueKind == JsonValueKind.Null ? null : json.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Explain_FirefoxBothLines_TheReasonWinsOverRequestDidNotSucceed()
    {
        var paste = $"{Firefox}CORS request did not succeed). Status code: (null).\n{Firefox}header ‘x-token’ is not allowed according to header ‘Access-Control-Allow-Headers’ from CORS preflight response).";

        // Act
        var (_, json) = await Cli.RunJsonAsync("explain", paste);

        // Assert
        Assert.Equal("HeaderDisallowedByPreflightResponse", json.GetProperty("failedCheck").GetString());
    }

    [Fact]
    public async Task Explain_FirefoxOldestWording_Recognised()
    {
        // Act
        var (_, json) = await Cli.RunJsonAsync("explain", $"Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at {Url}. This can be fixed by moving the resource to the same domain or enabling CORS.");

        // Assert
        Assert.Equal("MissingAllowOrigin", json.GetProperty("failedCheck").GetString());
        Assert.Equal(Url, json.GetProperty("url").GetString());
    }

    // WebKitGTK 2.50's lines (MiniBrowser's console), as Safari shows them with "[Error] ".
    [Theory]
    [InlineData("Origin http://127.0.0.1:8001 is not allowed by Access-Control-Allow-Origin. Status code: 200", "MissingAllowOrigin", null, 200)]
    [InlineData("Cannot use wildcard in Access-Control-Allow-Origin when credentials flag is true.", "WildcardOriginWithCredentials", null, null)]
    [InlineData("Access-Control-Allow-Origin cannot contain more than one origin.", "MultipleAllowOriginValues", null, null)]
    [InlineData("Credentials flag is true, but Access-Control-Allow-Credentials is not \"true\".", "InvalidAllowCredentials", null, null)]
    [InlineData("Method PUT is not allowed by Access-Control-Allow-Methods.", "MethodDisallowedByPreflightResponse", "PUT", null)]
    [InlineData("Request header field X-Token is not allowed by Access-Control-Allow-Headers.", "HeaderDisallowedByPreflightResponse", "X-Token", null)]
    [InlineData("Header Access-Control-Allow-Methods has an invalid value: GET POST", "InvalidAllowMethodsPreflightResponse", "GET POST", null)]
    [InlineData("Preflight response is not successful. Status code: 404", "PreflightInvalidStatus", null, 404)]
    [InlineData("Preflight response is not successful. Status code: 302", "PreflightRedirect", null, 302)]
    [InlineData("Cross-origin redirection to http://127.0.0.1:8003/next denied by Cross-Origin Resource Sharing policy: Origin http://127.0.0.1:8001 is not allowed by Access-Control-Allow-Origin. Status code: 302", "MissingAllowOrigin", "http://127.0.0.1:8003/next", 302)]
    public async Task Explain_WebKitLines_RecognisedWithTheUrlFromTheNextLine(string reason, string failedCheck, string? value, int? status)
    {
        var paste = $"[Error] {reason}\n[Error] Fetch API cannot load {Url} due to access control checks.\n[Error] TypeError: Load failed";

        // Act
        var (exit, json) = await Cli.RunJsonAsync("explain", paste);

        // Assert
        Assert.Equal(0, exit);
        Assert.Equal("WebKit", json.GetProperty("browser").GetString());
        Assert.Equal(failedCheck, json.GetProperty("failedCheck").GetString());
        Assert.Equal(Url, json.GetProperty("url").GetString());
        Assert.Equal(value, json.GetProperty("value").GetString());
        Assert.Equal(status, json.GetProperty("status").ValueKind == JsonValueKind.Null ? null : json.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Explain_WebKitOriginLine_SaysWhatItCannotTellApartAndWhatToRun()
    {
        var paste = $"[Error] Origin {Origin} is not allowed by Access-Control-Allow-Origin. Status code: 200\n[Error] Fetch API cannot load {Url} due to access control checks.";

        // Act
        var (exit, output) = await Cli.RunAsync("explain", paste, "--no-color");

        // Assert
        Assert.Equal(0, exit);
        Assert.StartsWith(
            $"WebKit: MissingAllowOrigin or AllowOriginMismatch or InvalidAllowOrigin\n  request: {Url} from origin {Origin}\n  status: 200\n\nWhat it means:\n"
            + "  Access-Control-Allow-Origin, on the preflight or on the response, was missing, named another origin, or was not an origin at all ('null' included): WebKit's words are the same for each.\n"
            + "  WebKit words MissingAllowOrigin, AllowOriginMismatch, InvalidAllowOrigin alike: a missing, a wrong and a 'null' Access-Control-Allow-Origin all read \"Origin ... is not allowed by Access-Control-Allow-Origin\". The check command below tells which.\n"
            + "  WebKit does not say whether the preflight or the request itself failed: run the check command below with your script's method and headers, so it sends the same preflight.\n",
            output,
            StringComparison.Ordinal);
        Assert.EndsWith($"\nSee exactly what the server answers: corskit check {Url} --origin {Origin} -X <METHOD> -H \"<Header>: <value>\"\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_WebKitOriginLineJson_ListsWhatReadsAlikeAndLeavesThePreflightOpen()
    {
        // Act
        var (_, json) = await Cli.RunJsonAsync("explain", $"Origin {Origin} is not allowed by Access-Control-Allow-Origin. Status code: 500");

        // Assert
        Assert.Equal(["MissingAllowOrigin", "AllowOriginMismatch", "InvalidAllowOrigin"], json.GetProperty("readsAlike").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(JsonValueKind.Null, json.GetProperty("onPreflight").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("url").ValueKind);
        Assert.Equal($"corskit check <URL> --origin {Origin} -X <METHOD> -H \"<Header>: <value>\"", json.GetProperty("check").GetString());
        Assert.Contains("The server answered 500: that is the real failure.", json.GetProperty("notes")[2].GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData($"[Error] Fetch API cannot load {Url} due to access control checks.", $"corskit: explain: WebKit (Safari) names the reason on the line before \"cannot load {Url} due to access control checks\"; paste both lines, or run: corskit check {Url} --origin <your page's origin>\n")]
    [InlineData("[Error] Unhandled Promise Rejection: TypeError: Load failed", "corskit: explain: Safari's \"TypeError: Load failed\" never says why; the reason is the [Error] line in the console before it (\"Origin ... is not allowed by Access-Control-Allow-Origin. ...\"): paste that line\n")]
    [InlineData("Uncaught (in promise) TypeError: Failed to fetch", "corskit: explain: Chromium's \"TypeError: Failed to fetch\" never says why; the reason is the console line \"Access to fetch at ... has been blocked by CORS policy: ...\": paste that line\n")]
    [InlineData("TypeError: NetworkError when attempting to fetch resource.", "corskit: explain: Firefox's \"NetworkError when attempting to fetch resource\" never says why; the reason is the console line \"Cross-Origin Request Blocked: ...\": paste that line\n")]
    public async Task Explain_LineWithoutTheReason_ExitTwoSayingWhatToPaste(string paste, string expected)
    {
        // Act
        var (exit, output, error) = await Cli.RunAllAsync("explain", paste);

        // Assert
        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, output);
        Assert.Equal(expected, error);
    }

    [Fact]
    public async Task Explain_NotACorsMessageJson_StdoutIsOneJsonError()
    {
        // Act
        var (exit, output, error) = await Cli.RunAllAsync("explain", "Uncaught ReferenceError: x is not defined", "--format", "json");

        // Assert
        Assert.Equal(2, exit);
        var message = "explain: not a CORS message I know. Paste the browser's whole console line, such as \"Access to fetch at ...\" (Chromium), \"Cross-Origin Request Blocked: ...\" (Firefox) or \"Origin ... is not allowed by Access-Control-Allow-Origin. ...\" (Safari).";
        Assert.Equal(message, JsonDocument.Parse(output).RootElement.GetProperty("error").GetString());
        Assert.Equal($"corskit: {message}\n", error);
    }
}

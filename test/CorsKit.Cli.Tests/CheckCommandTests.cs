using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace CorsKit.Cli.Tests;

public sealed class CheckCommandTests(MisconfiguredServer server) : IClassFixture<MisconfiguredServer>
{
    private const string Page = MisconfiguredServer.Page;

    private static string Blocked(string url, string reason) =>
        $"Access to fetch at '{url}' from origin '{Page}' has been blocked by CORS policy: {reason}";

    [Fact]
    public async Task Check_CorrectServer_AllowedWithReadableHeaders()
    {
        var (exit, json) = await Cli.RunJsonAsync("check", server.Url("/ok"), "--origin", Page, "--credentials");

        Assert.Equal(0, exit);
        Assert.True(json.GetProperty("allowed").GetBoolean());
        Assert.False(json.GetProperty("preflightSent").GetBoolean());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("chromiumMessage").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("failedCheck").ValueKind);
        Assert.Equal(["content-length", "content-type", "x-total-count"], json.GetProperty("exposedHeaders").EnumerateArray().Select(e => e.GetString()));
        var exchange = Assert.Single(json.GetProperty("exchanges").EnumerateArray());
        Assert.Equal("actual", exchange.GetProperty("kind").GetString());
        Assert.Equal(200, exchange.GetProperty("response").GetProperty("status").GetInt32());
        Assert.Contains(exchange.GetProperty("request").GetProperty("headers").EnumerateArray(), h => h.GetProperty("name").GetString() == "Origin" && h.GetProperty("value").GetString() == Page);
    }

    [Fact]
    public async Task Check_PutWithCustomHeader_SendsBrowsersPreflightAndReportsCache()
    {
        var (exit, json) = await Cli.RunJsonAsync("check", server.Url("/ok"), "--origin", Page, "-X", "PUT", "-H", "X-Token: 1", "--credentials");

        Assert.Equal(0, exit);
        Assert.True(json.GetProperty("preflightSent").GetBoolean());
        Assert.Equal(["method PUT is not CORS-safelisted", "header x-token is not CORS-safelisted"], json.GetProperty("preflightReasons").EnumerateArray().Select(e => e.GetString()));
        var preflight = json.GetProperty("exchanges")[0];
        Assert.Equal("OPTIONS", preflight.GetProperty("request").GetProperty("method").GetString());
        Assert.Equal(
            ["Accept: */*", "Access-Control-Request-Method: PUT", "Access-Control-Request-Headers: x-token", $"Origin: {Page}"],
            preflight.GetProperty("request").GetProperty("headers").EnumerateArray().Select(h => $"{h.GetProperty("name").GetString()}: {h.GetProperty("value").GetString()}"));
        Assert.Equal(600, json.GetProperty("preflightCacheSeconds").GetProperty("chromium").GetDouble());
        Assert.Equal(600, json.GetProperty("preflightCacheSeconds").GetProperty("firefox").GetDouble());
        Assert.Equal(600, json.GetProperty("preflightCacheSeconds").GetProperty("webkit").GetDouble());
    }

    [Theory]
    [InlineData("/missing", "GET", false, "MissingAllowOrigin", "No 'Access-Control-Allow-Origin' header is present on the requested resource.")]
    [InlineData("/two-values", "GET", false, "MultipleAllowOriginValues", "The 'Access-Control-Allow-Origin' header contains multiple values 'https://app.example.com, https://app.example.com', but only one is allowed. Have the server send the header with a valid value.")]
    [InlineData("/star-credentials", "GET", true, "WildcardOriginWithCredentials", "The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.")]
    [InlineData("/capital-true", "GET", true, "InvalidAllowCredentials", "The value of the 'Access-Control-Allow-Credentials' header in the response is 'True' which must be 'true' when the request's credentials mode is 'include'.")]
    [InlineData("/preflight-302", "PUT", false, "PreflightRedirect", "Response to preflight request doesn't pass access control check: Redirect is not allowed for a preflight request.")]
    [InlineData("/preflight-404", "PUT", false, "MissingAllowOrigin", "Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource.")]
    [InlineData("/get-post", "PUT", false, "InvalidAllowMethodsPreflightResponse", "Cannot parse Access-Control-Allow-Methods response header field in preflight response.")]
    [InlineData("/lowercase", "PUT", false, "MethodDisallowedByPreflightResponse", "Method PUT is not allowed by Access-Control-Allow-Methods in preflight response.")]
    public async Task Check_Misconfigured_BlockedWithChromiumsWords(string path, string method, bool credentials, string failedCheck, string reason)
    {
        string[] args = ["check", server.Url(path), "--origin", Page, "-X", method, .. credentials ? new[] { "--credentials" } : []];

        var (exit, json) = await Cli.RunJsonAsync(args);

        Assert.Equal(1, exit);
        Assert.False(json.GetProperty("allowed").GetBoolean());
        Assert.Equal(failedCheck, json.GetProperty("failedCheck").GetString());
        Assert.Equal(Blocked(server.Url(path), reason), json.GetProperty("chromiumMessage").GetString());
        Assert.NotEqual(JsonValueKind.Null, json.GetProperty("fix").ValueKind);
    }

    [Fact]
    public async Task Check_PreflightFails_FirefoxConsoleAddsTheRequestThatDidNotSucceed()
    {
        // As Firefox 153 printed it (docs/browser-engines.md): the reason, then the request that got no response.
        var url = server.Url("/preflight-404");

        var (_, json) = await Cli.RunJsonAsync("check", url, "--origin", Page, "-X", "PUT");

        var prefix = $"Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at {url}.";
        Assert.Equal(
            [$"{prefix} (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 404.", $"{prefix} (Reason: CORS request did not succeed). Status code: (null)."],
            json.GetProperty("firefoxConsole").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(json.GetProperty("firefoxConsole")[0].GetString(), json.GetProperty("firefoxMessage").GetString());
    }

    [Fact]
    public async Task Check_LowercasePatchListed_AllowedBecauseFetchKeepsPatchLowercase()
    {
        var (exit, json) = await Cli.RunJsonAsync("check", server.Url("/lowercase"), "--origin", Page, "-X", "patch");

        Assert.Equal(0, exit);
        Assert.Equal("patch", json.GetProperty("method").GetString());
        Assert.Equal(["method patch is not CORS-safelisted"], json.GetProperty("preflightReasons").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Check_ServerError_ReportsTheRealFailureAndItsBody()
    {
        var (exit, output) = await Cli.RunAsync("check", server.Url("/error-500"), "--origin", Page, "--no-color");

        Assert.Equal(1, exit);
        Assert.Contains("HTTP/1.1 500 Internal Server Error", output, StringComparison.Ordinal);
        Assert.Contains("The browser will show a CORS error, but the server failed with 500. The real error is the response body above:\n  Traceback: KeyError: 'user_id'", output, StringComparison.Ordinal);
        Assert.Contains("  " + Blocked(server.Url("/error-500"), "No 'Access-Control-Allow-Origin' header is present on the requested resource."), output, StringComparison.Ordinal);
        Assert.Contains("The server failed with 500 and sent no Access-Control-Allow-Origin on that error response", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_ServerErrorJson_CarriesServerError()
    {
        var (_, json) = await Cli.RunJsonAsync("check", server.Url("/error-500"), "--origin", Page);

        Assert.Equal(500, json.GetProperty("serverError").GetProperty("status").GetInt32());
        Assert.Equal("Traceback: KeyError: 'user_id'", json.GetProperty("serverError").GetProperty("body").GetString());
    }

    [Fact]
    public async Task Check_AuthorizationUnderStar_AllowedLikeChromiumButWarned()
    {
        var (exit, json) = await Cli.RunJsonAsync("check", server.Url("/authorization-star"), "--origin", Page, "-H", "Authorization: Bearer abc");

        Assert.Equal(0, exit);
        Assert.True(json.GetProperty("preflightSent").GetBoolean());
        Assert.Contains(json.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.StartsWith("Authorization passes only because Access-Control-Allow-Headers has '*'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Check_ExposeStarWithCredentials_StarIsLiteralSoOnlySafelistedReadable()
    {
        var (exit, json) = await Cli.RunJsonAsync("check", server.Url("/expose-star-credentials"), "--origin", Page, "--credentials");

        Assert.Equal(0, exit);
        Assert.Equal(["content-type"], json.GetProperty("exposedHeaders").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Check_ExposeStarWithoutCredentials_EveryHeaderReadable()
    {
        var (exit, json) = await Cli.RunJsonAsync("check", server.Url("/expose-star-credentials"), "--origin", Page);

        Assert.Equal(0, exit);
        var readable = json.GetProperty("exposedHeaders").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains("x-request-id", readable);
        Assert.Contains("access-control-allow-origin", readable);
    }

    [Fact]
    public async Task Check_CrossOriginRedirect_FollowsWithNullOrigin()
    {
        var (exit, json) = await Cli.RunJsonAsync("check", server.Url("/redirect-away"), "--origin", Page);

        Assert.Equal(0, exit);
        var exchanges = json.GetProperty("exchanges").EnumerateArray().ToList();
        Assert.Equal(2, exchanges.Count);
        Assert.Equal(302, exchanges[0].GetProperty("response").GetProperty("status").GetInt32());
        Assert.Contains(exchanges[1].GetProperty("request").GetProperty("headers").EnumerateArray(), h => h.GetProperty("name").GetString() == "Origin" && h.GetProperty("value").GetString() == "null");
    }

    [Fact]
    public async Task Check_NothingListening_ExitTwoWithOneLine()
    {
        var port = FreePort();

        var (exit, output, error) = await Cli.RunAllAsync("check", $"http://127.0.0.1:{port}/", "--origin", Page);

        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, output);
        Assert.Equal($"corskit: connection refused: nothing is listening at http://127.0.0.1:{port}\n", error);
    }

    [Fact]
    public async Task Check_ServerNeverAnswers_TimesOutWithOneLine()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;

        var (exit, output, error) = await Cli.RunAllAsync("check", $"http://127.0.0.1:{port}/", "--origin", Page, "--timeout", "0.5");

        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, output);
        Assert.Equal($"corskit: timed out after 0.5 s waiting for http://127.0.0.1:{port} (raise --timeout)\n", error);
    }

    [Theory]
    [InlineData(new[] { "check", "http://127.0.0.1:1/" }, "corskit: --origin is required: the origin of the page that makes the request, such as https://app.example.com\n")]
    [InlineData(new[] { "check", "ftp://x/", "--origin", "https://a.example" }, "corskit: 'ftp://x/' is not an http:// or https:// URL\n")]
    [InlineData(new[] { "check", "http://x/", "--origin", "https://a.example/" }, "corskit: --origin \"https://a.example/\" has a path (a trailing slash); an origin is scheme://host[:port], so write \"https://a.example\"\n")]
    [InlineData(new[] { "check", "http://x/", "--origin", "https://a.example", "-H", "NoColon" }, "corskit: -H 'NoColon' is not \"Name: value\"\n")]
    public async Task Check_BadUsage_ExitTwoWithTheReason(string[] args, string expected)
    {
        var (exit, output, error) = await Cli.RunAllAsync(args);

        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, output);
        Assert.Equal(expected, error);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

namespace CorsKit.Browser.Tests.Model;

/// <summary>Shared setup: the page and API origins used by the real-Chromium probe whose console output these tests quote.</summary>
internal static class Scenario
{
    public const string Page = "http://127.0.0.1:8001";
    public const string Api = "http://127.0.0.1:8002";

    public static BrowserRequest Request(string path, string method = "GET", params (string Name, string Value)[] headers) =>
        new(Api + path, Page) { Method = method, Headers = [.. headers.Select(h => new HeaderField(h.Name, h.Value))] };

    public static BrowserResponse Response(int status, params (string Name, string Value)[] headers) => BrowserResponse.Of(status, headers);

    public static BrowserResponse Allow(params (string Name, string Value)[] more) =>
        BrowserResponse.Of(200, [("Access-Control-Allow-Origin", Page), .. more]);
}

using System.Text.Json;

namespace CorsKit.RealBrowsers.Tests.SignalR;

/// <summary>
/// The official SignalR JavaScript client in real Chromium, on a page origin, connecting with credentials to a hub behind
/// CorsKit, once per transport (negotiate first, never skipped): from the allowed origin the negotiate preflight and
/// the transport succeed and a message round-trips with the session cookie; from a refused origin the negotiate's
/// preflight gets no CORS headers, Chromium blocks it, and the transport is never reached.
/// </summary>
public sealed class SignalRTransportTests(SignalRFixture fixture) : IClassFixture<SignalRFixture>
{
    private static readonly TimeSpan ConsoleWait = TimeSpan.FromSeconds(10);

    [SkippableTheory]
    [InlineData("WebSockets")]
    [InlineData("ServerSentEvents")]
    [InlineData("LongPolling")]
    public async Task Connect_AllowedOrigin_NegotiatesAndRoundTripsAMessage(string transport)
    {
        SignalRClient.SkipOrFailWhenMissing(fixture.MissingReason);
        var test = $"allowed-{transport}";

        var result = await ConnectAsync(fixture.AllowedPage, test, transport);

        Assert.Equal($"reply: hello over {transport}, cookie signed-in", result);
        var exchanges = await fixture.ExchangesOfAsync(test, e => e.Any(IsNegotiatePost) && e.Any(IsNegotiatePreflight));
        var preflight = Assert.Single(exchanges, IsNegotiatePreflight);
        Assert.Equal(204, preflight.Status);
        Assert.Equal("POST", preflight.RequestHeaders["Access-Control-Request-Method"]);
        Assert.Equal("x-requested-with,x-signalr-user-agent", preflight.RequestHeaders["Access-Control-Request-Headers"]);
        AssertHeaders(
            preflight,
            ("Access-Control-Allow-Origin", fixture.AllowedPage),
            ("Access-Control-Allow-Credentials", "true"),
            ("Access-Control-Allow-Methods", "GET,POST,DELETE"),
            ("Access-Control-Allow-Headers", "x-requested-with,x-signalr-user-agent"),
            ("Vary", "Origin"));
        var negotiate = Assert.Single(exchanges, IsNegotiatePost);
        Assert.Equal(200, negotiate.Status);
        AssertHeaders(negotiate, ("Access-Control-Allow-Origin", fixture.AllowedPage), ("Access-Control-Allow-Credentials", "true"), ("Vary", "Origin"));
    }

    [SkippableTheory]
    [InlineData("WebSockets")]
    [InlineData("ServerSentEvents")]
    [InlineData("LongPolling")]
    public async Task Connect_RefusedOrigin_NegotiateBlockedByCorsAndNoTransportOpens(string transport)
    {
        SignalRClient.SkipOrFailWhenMissing(fixture.MissingReason);
        var test = $"refused-{transport}";
        var console = fixture.Chromium!.Console;
        var mark = console.Mark();

        var result = await ConnectAsync(fixture.RefusedPage, test, transport);

        Assert.Equal("failed: Error: Failed to complete negotiation with the server: TypeError: Failed to fetch", result);
        var blocked = (await console.WaitForAsync(mark, IsCorsBlock, ConsoleWait)).Single(IsCorsBlock);
        Assert.Equal(
            $"Access to fetch at '{fixture.HubUrl}/negotiate?test={test}&negotiateVersion=1' from origin '{fixture.RefusedPage}' has been blocked by CORS policy: " +
            "Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
            blocked);
        var preflight = Assert.Single(await fixture.ExchangesOfAsync(test, e => e.Count > 0));
        Assert.Equal(("OPTIONS", "/chat/negotiate", 204), (preflight.Method, preflight.Path, preflight.Status));
        Assert.Equal(fixture.RefusedPage, preflight.RequestHeaders["Origin"]);
        AssertHeaders(preflight, ("Vary", "Origin"));
    }

    private static bool IsNegotiatePreflight(RecordedExchange e) => e is { Method: "OPTIONS", Path: "/chat/negotiate" };

    private static bool IsNegotiatePost(RecordedExchange e) => e is { Method: "POST", Path: "/chat/negotiate" };

    private static bool IsCorsBlock(string line) => line.Contains("has been blocked by CORS policy", StringComparison.Ordinal);

    // Opens the page origin, connects with the official client over one transport (with credentials, negotiate not
    // skipped), invokes Echo, stops; returns the reply or "failed: " and the client's error.
    private async Task<string> ConnectAsync(string pageOrigin, string test, string transport)
    {
        var page = await fixture.Chromium!.Context.NewPageAsync();
        try
        {
            await page.GotoAsync(pageOrigin + "/");
            return await page.EvaluateAsync<string>(
                """
                async ([url, transport]) => {
                  const connection = new signalR.HubConnectionBuilder()
                    .withUrl(url, { transport: signalR.HttpTransportType[transport], withCredentials: true, skipNegotiation: false })
                    .configureLogging(signalR.LogLevel.None)
                    .build();
                  try {
                    await connection.start();
                    const reply = await connection.invoke("Echo", "hello");
                    await connection.stop();
                    return "reply: " + reply;
                  } catch (error) {
                    return "failed: " + error;
                  }
                }
                """,
                new[] { $"{fixture.HubUrl}?test={test}", transport });
        }
        finally
        {
            await page.CloseAsync();
        }
    }

    private static void AssertHeaders(RecordedExchange exchange, params (string Name, string Value)[] expected)
    {
        static string Format(IEnumerable<KeyValuePair<string, string>> headers) =>
            JsonSerializer.Serialize(headers.OrderBy(h => h.Key, StringComparer.OrdinalIgnoreCase).Select(h => $"{h.Key}: {h.Value}"));

        Assert.Equal(Format(expected.Select(e => KeyValuePair.Create(e.Name, e.Value))), Format(exchange.CorsHeaders));
    }
}

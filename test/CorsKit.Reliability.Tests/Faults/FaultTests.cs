using System.Diagnostics;
using CorsKit.AspNetCore.Tests.Infrastructure;
using CorsKit.Reliability.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace CorsKit.Reliability.Tests.Faults;

/// <summary>
/// Faults inside a real Kestrel host: nothing crashes it, every response completes or its connection closes cleanly,
/// and every fault is logged exactly once (one Error line in the whole app's log, of CorsKit's event).
/// </summary>
[Collection(WallClockBounds.Name)]
public sealed class FaultTests(ITestOutputHelper output) : IDisposable
{
    private const string App = FaultApp.App;
    private const int KestrelRequestAbortedByClient = 66;
    private readonly ManualResetEventSlim _release = new();

    public void Dispose()
    {
        _release.Set();
        _release.Dispose();
    }

    [Fact]
    public async Task Handler_ThrowsBeforeWriting_500WithCorsHeadersAndOneErrorLine()
    {
        await using var app = await FaultApp.StartAsync(_release);

        using var response = await Get(app, "/throw-before", App);

        Assert.Equal(500, (int)response.StatusCode);
        Assert.Equal("""{"title":"An error occurred while processing your request.","status":500}""", await response.Content.ReadAsStringAsync());
        CorsAssert.Headers(response, ("Access-Control-Allow-Origin", App), ("Access-Control-Allow-Credentials", "true"), ("Vary", "Origin"));
        AssertLoggedOnce(app, 6, "handler failed before writing");
        await AssertStillServes(app);
    }

    [Fact]
    public async Task Handler_ThrowsAfterWriting_ConnectionEndsAndOneErrorLine()
    {
        await using var app = await FaultApp.StartAsync(_release);

        // The headers were on the wire before the failure, so nothing can be added: the connection is reset, and the
        // client sees a failure (while reading the headers or the body), never a truncated body taken for a whole one.
        var failure = await Record.ExceptionAsync(async () =>
        {
            using var response = await Get(app, "/throw-after", App, headersOnly: true);
            await response.Content.ReadAsStringAsync();
        });

        Assert.True(failure is HttpRequestException or IOException, $"expected a reset connection, got {failure?.GetType().Name ?? "a whole response"}");
        await app.WaitForLogAsync(entries => entries.Any(e => e.Level >= LogLevel.Error) && entries.Any(e => e.EventId == 7));
        // One Error line, Kestrel's, with the exception; CorsKit's Warning says why nothing could be added.
        var error = Assert.Single(app.Logs.Entries, e => e.Level >= LogLevel.Error);
        Assert.Equal(("Microsoft.AspNetCore.Server.Kestrel", 13, "handler failed after writing"), (error.Category, error.EventId, error.Exception?.Message));
        Assert.Single(app.Logs.Entries, e => e.Category == "CorsKit.AspNetCore.CorsKitMiddleware" && e.EventId == 7 && e.Level == LogLevel.Warning);
        await AssertStillServes(app);
    }

    // An origin predicate (event 4) or a policy provider (event 9) that throws at once or through its task: fail closed.
    [Theory]
    [InlineData("/predicate-throws", 4, "the predicate's database is down")]
    [InlineData("/provider-throws", 9, "the tenant store is down")]
    [InlineData("/provider-faults", 9, "the tenant query failed")]
    public async Task OriginCheck_Throws_ServedWithoutCorsHeadersAndOneErrorLine(string path, int eventId, string message)
    {
        await using var app = await FaultApp.StartAsync(_release);

        using var response = await Get(app, path, App);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("served", await response.Content.ReadAsStringAsync());
        CorsAssert.Headers(response, ("Vary", "Origin"));
        AssertLoggedOnce(app, eventId, message);
        await AssertStillServes(app);
    }

    // A predicate (synchronous, bounded by CorsPolicyBuilder.OriginPredicateTimeout) or a provider whose task never
    // completes (bounded by CorsKitOptions.PolicyProviderTimeout): both 1 s.
    [Theory]
    [InlineData("/predicate-hangs", 4)]
    [InlineData("/provider-hangs", 9)]
    public async Task OriginCheck_Hangs_FailsClosedWithinTheBoundAndOneErrorLine(string path, int eventId)
    {
        await using var app = await FaultApp.StartAsync(_release);
        var clock = Stopwatch.StartNew();

        using var response = await Get(app, path, App);

        clock.Stop();
        output.WriteLine($"{path} answered after {clock.ElapsedMilliseconds} ms (bound 1000 ms)");
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("served", await response.Content.ReadAsStringAsync());
        CorsAssert.Headers(response, ("Vary", "Origin"));
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5));
        var entry = AssertLoggedOnce(app, eventId, null);
        Assert.IsType<TimeoutException>(entry.Exception);
        await AssertStillServes(app);
    }

    [Theory]
    [InlineData("/hook-throws", "the hook failed")]
    [InlineData("/hook-faults", "the async hook failed")]
    public async Task AfterRequestHook_Throws_ServedWithCorsHeadersAndOneErrorLine(string path, string message)
    {
        await using var app = await FaultApp.StartAsync(_release);

        using var response = await Get(app, path, App);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("served", await response.Content.ReadAsStringAsync());
        CorsAssert.Headers(response, ("Access-Control-Allow-Origin", App), ("Access-Control-Allow-Credentials", "true"), ("Vary", "Origin"));
        AssertLoggedOnce(app, 20, message);
        await AssertStillServes(app);
    }

    [Fact]
    public async Task PolicyProvider_HangsOnPreflight_204WithoutCorsHeadersAndOneErrorLine()
    {
        await using var app = await FaultApp.StartAsync(_release);
        using var request = new HttpRequestMessage(HttpMethod.Options, "/provider-hangs");
        request.Headers.Add("Origin", App);
        request.Headers.Add("Access-Control-Request-Method", "GET");

        using var response = await app.Client.SendAsync(request);

        Assert.Equal(204, (int)response.StatusCode);
        Assert.Equal(string.Empty, await response.Content.ReadAsStringAsync());
        CorsAssert.Headers(response, ("Vary", "Origin"));
        var entry = AssertLoggedOnce(app, 9, null);
        Assert.IsType<TimeoutException>(entry.Exception);
        await AssertStillServes(app);
    }

    [Fact]
    public async Task OriginRegex_CatastrophicBacktracking_TimesOutFailsClosedAndOneErrorLine()
    {
        await using var app = await FaultApp.StartAsync(_release);
        var clock = Stopwatch.StartNew();

        using var response = await Get(app, "/regex-times-out", "https://" + new string('a', 40));

        clock.Stop();
        Assert.Equal(200, (int)response.StatusCode);
        CorsAssert.Headers(response, ("Vary", "Origin"));
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(5));
        var entry = AssertLoggedOnce(app, 4, null);
        Assert.IsType<System.Text.RegularExpressions.RegexMatchTimeoutException>(entry.Exception);
        await AssertStillServes(app);
    }

    [Fact]
    public async Task Client_AbortsMidResponse_HandlerEndsAndNothingLoggedAsError()
    {
        var ended = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var app = await FaultApp.StartAsync(_release, context => ended.TrySetResult(context.RequestAborted.IsCancellationRequested));

        // A raw client reads the start of a slow 200 KB body, then resets the connection (HttpClient would drain it instead).
        using (var client = new System.Net.Sockets.TcpClient())
        {
            await client.ConnectAsync("127.0.0.1", app.Port);
            var stream = client.GetStream();
            await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes($"GET /stream HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: {App}\r\n\r\n"));
            var buffer = new byte[4096];
            var head = System.Text.Encoding.ASCII.GetString(buffer, 0, await stream.ReadAsync(buffer));
            Assert.StartsWith("HTTP/1.1 200 OK\r\n", head, StringComparison.Ordinal);
            Assert.Contains($"Access-Control-Allow-Origin: {App}\r\n", head, StringComparison.Ordinal);
            client.Client.LingerState = new System.Net.Sockets.LingerOption(true, 0);
        }

        Assert.True(await ended.Task.WaitAsync(TimeSpan.FromSeconds(10)), "the handler should have seen RequestAborted");
        await app.WaitForLogAsync(entries => entries.Any(e => e.Category == "Microsoft.AspNetCore.Server.Kestrel" && e.EventId == KestrelRequestAbortedByClient));
        foreach (var line in app.Logs.Entries.Where(e => e.Level >= LogLevel.Debug && !e.Category.StartsWith("Microsoft.Hosting", StringComparison.Ordinal)))
        {
            output.WriteLine($"{line.Level} {line.Category}[{line.EventId}] {line.Message}");
        }

        // A client going away is not a server fault: Kestrel notes it once (Debug), nothing is logged as an error.
        Assert.DoesNotContain(app.Logs.Entries, e => e.Level >= LogLevel.Error);
        Assert.Single(app.Logs.Entries, e => e.Category == "Microsoft.AspNetCore.Server.Kestrel" && e.EventId == KestrelRequestAbortedByClient);
        await AssertStillServes(app);
    }

    internal static async Task<HttpResponseMessage> Get(KestrelApp app, string path, string? origin, bool headersOnly = false)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        return await app.Client.SendAsync(request, headersOnly ? HttpCompletionOption.ResponseHeadersRead : HttpCompletionOption.ResponseContentRead);
    }

    internal static async Task AssertStillServes(KestrelApp app)
    {
        using var response = await Get(app, "/ok", App);
        Assert.Equal("fine", await response.Content.ReadAsStringAsync());
        CorsAssert.Headers(response, ("Access-Control-Allow-Origin", App), ("Access-Control-Allow-Credentials", "true"), ("Vary", "Origin"));
    }

    // Exactly one Error line in the whole app's log, and it is CorsKit's event with the fault's exception.
    private static LogEntry AssertLoggedOnce(KestrelApp app, int eventId, string? exceptionMessage)
    {
        var errors = app.Logs.Entries.Where(e => e.Level >= LogLevel.Error).ToList();
        var entry = Assert.Single(errors);
        Assert.Equal("CorsKit.AspNetCore.CorsKitMiddleware", entry.Category);
        Assert.Equal(eventId, entry.EventId);
        if (exceptionMessage is not null)
        {
            Assert.Equal(exceptionMessage, entry.Exception?.Message);
        }

        return entry;
    }
}

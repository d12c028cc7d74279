using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using CorsKit.AspNetCore.Tests.Infrastructure;
using CorsKit.Reliability.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace CorsKit.Reliability.Tests.Faults;

/// <summary>
/// Every kind of fault at once, mixed with healthy requests, on one Kestrel host: every request ends (answered, or its
/// connection closed) within a bound, healthy requests are all served, and the log holds exactly one line per fault.
/// </summary>
public sealed class ConcurrentFaultTests(ITestOutputHelper output) : IDisposable
{
    private const string App = FaultApp.App;
    private const int PerKind = 40;
    private const int Hangs = 4;
    private readonly ManualResetEventSlim _release = new();

    public void Dispose()
    {
        _release.Set();
        _release.Dispose();
    }

    [Fact]
    public async Task AllFaultsAtOnce_HostKeepsServingAndEachFaultIsLoggedOnce()
    {
        await using var app = await FaultApp.StartAsync(_release);
        var clock = Stopwatch.StartNew();

        var work = new List<Task<string>>();
        for (var i = 0; i < PerKind; i++)
        {
            work.Add(Expect(app, "/throw-before", App, 500));
            work.Add(ThrowAfterAsync(app.Port));
            work.Add(Expect(app, "/predicate-throws", App, 200));
            work.Add(Expect(app, "/provider-throws", App, 200));
            work.Add(Expect(app, "/hook-throws", App, 200));
            work.Add(Expect(app, "/provider-faults", App, 200));
            work.Add(AbortAsync(app.Port));
            work.Add(Expect(app, "/ok", App, 200, "fine"));
            work.Add(Expect(app, "/ok", null, 200, "fine"));
        }

        for (var i = 0; i < PerKind / 4; i++)
        {
            work.Add(Expect(app, "/regex-times-out", "https://" + new string('a', 40), 200));
        }

        for (var i = 0; i < Hangs; i++)
        {
            work.Add(Expect(app, "/predicate-hangs", App, 200));
            work.Add(Expect(app, "/provider-hangs", App, 200));
        }

        var outcomes = await Task.WhenAll(work).WaitAsync(TimeSpan.FromSeconds(60));
        clock.Stop();
        const int ExpectedErrors = (PerKind * 6) + (PerKind / 4) + (Hangs * 2);
        await app.WaitForLogAsync(entries =>
            entries.Count(IsFault) >= ExpectedErrors
            && entries.Count(e => e.Category == "Microsoft.AspNetCore.Server.Kestrel" && e.EventId == 66) >= PerKind);

        var faults = outcomes.Count(o => o != "healthy");
        var byEvent = app.Logs.Entries.Where(IsFault).GroupBy(e => (e.Category, e.EventId)).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine($"FIGURE faults: {faults} faults injected at once with {outcomes.Length - faults} healthy requests, all ended in {clock.ElapsedMilliseconds} ms; " +
            $"error lines: {string.Join(", ", byEvent.Select(p => $"{p.Key.Category}[{p.Key.EventId}]={p.Value}"))}; client aborts noted by Kestrel: " +
            $"{app.Logs.Entries.Count(e => e.Category == "Microsoft.AspNetCore.Server.Kestrel" && e.EventId == 66)}");

        const string CorsKitCategory = "CorsKit.AspNetCore.CorsKitMiddleware";
        Assert.Equal(PerKind * 2, outcomes.Count(o => o == "healthy"));
        Assert.Equal(
            new Dictionary<(string, int), int>
            {
                [(CorsKitCategory, 6)] = PerKind,                              // throw before writing: 500 with CORS
                [("Microsoft.AspNetCore.Server.Kestrel", 13)] = PerKind,      // throw after writing: connection ended, exception logged by the server
                [(CorsKitCategory, 4)] = PerKind + (PerKind / 4) + Hangs,      // predicate threw, regex or predicate timed out
                [(CorsKitCategory, 9)] = (PerKind * 2) + Hangs,                // policy provider threw, faulted or timed out
                [(CorsKitCategory, 20)] = PerKind,                             // after-request hook threw
            },
            byEvent);
        Assert.Equal(PerKind, app.Logs.Entries.Count(e => e.Category == "Microsoft.AspNetCore.Server.Kestrel" && e.EventId == 66));

        // Under a flood, each of those events writes at most 10 lines a second at Error; the rest go out at Debug.
        var seconds = (int)Math.Ceiling(clock.Elapsed.TotalSeconds + 15);
        foreach (var eventId in new[] { 4, 9, 20 })
        {
            var errors = app.Logs.Entries.Count(e => e.Category == CorsKitCategory && e.EventId == eventId && e.Level == LogLevel.Error);
            Assert.InRange(errors, 1, 10 * seconds);
            Assert.All(app.Logs.Entries.Where(e => e.Category == CorsKitCategory && e.EventId == eventId), e => Assert.Contains(e.Level, new[] { LogLevel.Error, LogLevel.Debug }));
        }

        Assert.Equal(PerKind, app.Logs.Entries.Count(e => e.Category == CorsKitCategory && e.EventId == 7 && e.Level == LogLevel.Warning));
        await FaultTests.AssertStillServes(app);
    }

    // An error line, or a user-code failure written at Debug once its event's budget of Error lines for the second is spent.
    private static bool IsFault(LogEntry e) =>
        e.Level >= LogLevel.Error || (e.Category == "CorsKit.AspNetCore.CorsKitMiddleware" && e.EventId is 4 or 9 or 20);

    private static async Task<string> Expect(KestrelApp app, string path, string? origin, int status, string? body = null)
    {
        using var response = await FaultTests.Get(app, path, origin);
        Assert.Equal(status, (int)response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        if (body is not null)
        {
            Assert.Equal(body, text);
            return "healthy";
        }

        return path;
    }

    // The handler fails after its headers went out: the connection must end (reset or closed), never hang.
    private static async Task<string> ThrowAfterAsync(int port)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET /throw-after HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: {App}\r\n\r\n"));
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            while (await stream.ReadAsync(buffer, timeout.Token) > 0)
            {
            }
        }
        catch (IOException)
        {
            // reset: fine
        }

        return "throw-after";
    }

    // The client reads the start of a streamed body, then resets the connection.
    private static async Task<string> AbortAsync(int port)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET /stream HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: {App}\r\n\r\n"));
        Assert.True(await stream.ReadAsync(new byte[4096]) > 0);
        client.Client.LingerState = new LingerOption(true, 0);
        return "abort";
    }
}

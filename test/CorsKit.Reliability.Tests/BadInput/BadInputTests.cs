using CorsKit.AspNetCore.Tests.Infrastructure;
using CorsKit.Reliability.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Xunit.Abstractions;

namespace CorsKit.Reliability.Tests.BadInput;

/// <summary>The app the bad inputs are sent to: Kestrel on 127.0.0.1, one policy, a route that throws.</summary>
public sealed class BadInputApp : IAsyncLifetime
{
    public KestrelApp Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await KestrelApp.StartAsync(
        options => options.AddDefaultPolicy(p => p.WithOrigins(BadInputCases.App).WithMethods("PUT").WithHeaders("x-token", "content-type").AllowCredentials()),
        app =>
        {
            app.MapMethods("/data", ["GET", "PUT"], () => "data");
            app.MapGet("/boom/{**rest}", string () => throw new InvalidOperationException("boom"));
        });

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>
/// Malformed, oversized and hostile <c>Origin</c>, <c>Access-Control-Request-Method</c> and <c>-Headers</c> values, sent
/// as raw bytes to Kestrel on 127.0.0.1 (HttpClient refuses most of them). Each gets a defined answer (never a 500 it did
/// not ask for, no CORS headers for anything malformed) and every CorsKit log line about it is escaped.
/// </summary>
public sealed class BadInputTests(BadInputApp fixture, ITestOutputHelper output) : IClassFixture<BadInputApp>
{
    public static TheoryData<string> Cases => [.. BadInputCases.All.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task BadInput_DefinedAnswerAndEscapedLogLine(string name)
    {
        var input = BadInputCases.All.Single(c => c.Name == name);
        var logs = fixture.Server.Logs;
        var before = logs.Entries.Count;

        var response = await RawHttp.SendAsync(fixture.Server.Port, input.Method, input.Path, input.Headers);

        var lines = logs.Entries.Skip(before).Where(e => e.Category.StartsWith("CorsKit", StringComparison.Ordinal)).ToList();
        output.WriteLine($"{response.Status} {string.Join(" | ", response.CorsHeaders.Select(h => h.Length > 120 ? h[..120] + "..." : h))}");
        foreach (var line in lines)
        {
            output.WriteLine($"log [{line.EventId}] {(line.Message.Length > 300 ? line.Message[..300] + "..." : line.Message)}");
        }

        Assert.Equal(input.Status, response.Status);
        if (input.Cors)
        {
            Assert.Equal([BadInputCases.App], response.Values("Access-Control-Allow-Origin"));
        }
        else
        {
            Assert.Empty(response.CorsHeaders);
        }

        if (input.Logged is { } reason)
        {
            var rejected = Assert.Single(lines, l => l.EventId == 2);
            Assert.Equal(reason, rejected.Values["Reason"]);
        }

        if (input.Status is 400 or 431)
        {
            Assert.Empty(lines); // refused by Kestrel before any middleware: nothing reached CorsKit
        }

        foreach (var line in lines)
        {
            AssertEscaped(line);
        }
    }

    [Theory]
    [InlineData("https://evil.com\r\n[fake] CORS request allowed", @"https://evil.com\u000D\u000A[fake] CORS request allowed")]
    [InlineData("https://evil.com\nforged", @"https://evil.com\u000Aforged")]
    [InlineData("https://evil.com\u2028forged", @"https://evil.com\u2028forged")]
    [InlineData("https://evil.com\u001B[2J", @"https://evil.com\u001B[2J")]
    [InlineData("https://evil.com\u0000", @"https://evil.com\u0000")]
    [InlineData("https://bücher.example", @"https://b\u00FCcher.example")]
    public async Task OriginWithLineBreaksOrControls_LoggedEscaped(string origin, string logged)
    {
        // Kestrel refuses these bytes on the wire; a proxy or another server could pass them on, so CorsKit escapes them anyway.
        await using var app = await TestApp.StartAsync(o => o.AddDefaultPolicy(p => p.WithOrigins(BadInputCases.App)), a => a.MapGet("/data", () => "data"));

        var context = await app.App.GetTestServer().SendAsync(c =>
        {
            c.Request.Method = "GET";
            c.Request.Path = "/data";
            c.Request.Headers.Origin = origin;
        });

        Assert.Equal(200, context.Response.StatusCode);
        Assert.False(context.Response.Headers.ContainsKey("Access-Control-Allow-Origin"));
        var line = Assert.Single(app.Logs.ForEvent(2));
        Assert.Equal(logged, line.Values["Origin"]);
        AssertEscaped(line);
    }

    // A log line that cannot be used for log injection: every value from the request is printable ASCII (control and
    // non-ASCII characters escaped as \uXXXX), the message is one line, and long values are cut.
    private static void AssertEscaped(LogEntry line)
    {
        Assert.DoesNotContain(line.Message, c => c < ' ' || c > '~');
        foreach (var (key, value) in line.Values)
        {
            if (value is string text && key != "{OriginalFormat}")
            {
                Assert.DoesNotContain(text, c => c < ' ' || c > '~');
                Assert.True(text.Length <= 300, $"{key} is {text.Length} characters long");
            }
        }
    }
}

using CorsKit.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CorsKit.AspNetCore.Tests.Errors;

/// <summary>On real Kestrel: once the headers are on the wire nothing can be added, so the connection must end and the log say why.</summary>
public sealed class ExceptionAfterResponseStartedTests
{
    private const string App = "https://app.example.com";

    [Theory]
    [InlineData("Production")]
    [InlineData("Development")]
    public async Task ExceptionAfterFlush_Kestrel_HeadersWereSentThenTheConnectionEndsAndTheLogSaysWhy(string environment)
    {
        await using var app = await TestApp.StartAsync(
            o => o.AddDefaultPolicy(p => p.WithOrigins(App)),
            a =>
            {
                a.AfterRequest(c => c.Response.Headers["X-After"] = "app");
                a.MapGet("/partial", async (HttpResponse response) =>
                {
                    await response.WriteAsync("first part,");
                    await response.Body.FlushAsync();
                    throw new InvalidOperationException("late failure");
                });
                a.MapGet("/ok", () => "still serving");
            },
            environment: environment,
            kestrel: true);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/partial");
        request.Headers.Add("Origin", App);

        using var response = await app.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var read = await Record.ExceptionAsync(() => response.Content.ReadAsStringAsync());

        // The headers went out with the first flush, after the hooks and the CORS headers were added.
        Assert.Equal(200, (int)response.StatusCode);
        ResponseAssert.Headers(response, ("X-After", "app"), ("Access-Control-Allow-Origin", App), ("Vary", "Origin"));
        // The client sees an incomplete response, not a truncated success.
        var ended = Assert.IsType<HttpIOException>(read is HttpRequestException { InnerException: { } inner } ? inner : read);
        Assert.Equal(HttpRequestError.ResponseEnded, ended.HttpRequestError);
        var log = Assert.Single(app.Logs.ForEvent(7));
        Assert.Equal(LogLevel.Warning, log.Level);
        Assert.Null(log.Exception);
        Assert.Equal("Exception for GET /partial after the response had started: nothing can be added to a started response, so the server ends it incomplete (the connection is closed before the end of the body) and the client sees a failed request, not a truncated success; the server logs the exception", log.Message);
        Assert.Empty(app.Logs.ForEvent(6));
        // The exception itself is logged once, at Error, by Kestrel (as when ASP.NET Core's own exception handler rethrows).
        // (In Development the developer exception page logs it as well before rethrowing; CorsKit adds no Error of its own.)
        var error = Assert.Single(app.Logs.Entries, e => e.Level >= LogLevel.Error && e.Category.StartsWith("Microsoft.AspNetCore.Server.Kestrel", StringComparison.Ordinal));
        Assert.Equal("late failure", error.Exception?.Message);
        Assert.DoesNotContain(app.Logs.Entries, e => e.Level >= LogLevel.Error && e.Category.StartsWith("CorsKit", StringComparison.Ordinal));
        // The server itself is fine.
        Assert.Equal("still serving", await app.Client.GetStringAsync("/ok"));
    }
}

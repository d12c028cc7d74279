using System.Text.Json;
using CorsKit.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace CorsKit.AspNetCore.Tests.Errors;

/// <summary>Debug mode shows the real error through CORS; outside it nothing leaks.</summary>
public sealed class DebugModeTests
{
    private const string App = "https://app.example.com";
    private const string Evil = "https://evil.example";

    private static Task<TestApp> StartAsync(string environment, bool? debugMode = null) =>
        TestApp.StartAsync(
            o =>
            {
                o.AddDefaultPolicy(p => p.WithOrigins(App));
                o.DebugMode = debugMode;
            },
            a =>
            {
                a.MapGet("/data", () => "payload");
                a.MapGet("/throw", string () => throw new InvalidOperationException("boom"));
            },
            environment: environment);

    [Fact]
    public async Task Rejected_Development_DiagnosticHeaderAndWarningWithTheSameWords()
    {
        await using var app = await StartAsync("Development");

        var response = await app.GetAsync("/data", Evil);

        await ResponseAssert.BodyAsync(response, 200, "payload");
        CorsAssert.Headers(response, ("Vary", "Origin"), ("X-CorsKit-Reason", "origin 'https://evil.example' is not allowed by policy 'default'; allowed: https://app.example.com"));
        Assert.Equal("CORS rejected (debug mode): origin 'https://evil.example' is not allowed by policy 'default'; allowed: https://app.example.com", Assert.Single(app.Logs.ForEvent(3)).Message);
    }

    [Fact]
    public async Task Rejected_Production_NoDiagnosticHeaderReasonOnlyInTheLog()
    {
        await using var app = await StartAsync("Production");

        var response = await app.GetAsync("/data", Evil);

        await ResponseAssert.BodyAsync(response, 200, "payload");
        ResponseAssert.Headers(response, ("Content-Type", "text/plain; charset=utf-8"), ("Vary", "Origin"));
        var log = Assert.Single(app.Logs.ForEvent(2));
        Assert.Equal(LogLevel.Information, log.Level);
        Assert.Equal("CORS request from origin https://evil.example rejected by policy default: OriginNotAllowed https://evil.example (preflight: False)", log.Message);
        Assert.Empty(app.Logs.ForEvent(3));
    }

    [Fact]
    public async Task Rejected_DevelopmentWithDebugModeOff_NoDiagnosticHeader()
    {
        await using var app = await StartAsync("Development", debugMode: false);

        var response = await app.GetAsync("/data", Evil);

        CorsAssert.Headers(response, ("Vary", "Origin"));
    }

    [Fact]
    public async Task UnhandledException_DebugModeOnOutsideDevelopment_ProblemWithTypeMessageAndStack()
    {
        await using var app = await StartAsync("Staging", debugMode: true);

        var response = await app.GetAsync("/throw", App);

        Assert.Equal(500, (int)response.StatusCode);
        ResponseAssert.Headers(response, ("Content-Type", "application/problem+json"), ("Access-Control-Allow-Origin", App), ("Vary", "Origin"));
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = problem.RootElement;
        Assert.Equal(["title", "status", "detail", "exception"], root.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal("An unhandled exception occurred while processing the request.", root.GetProperty("title").GetString());
        Assert.Equal(500, root.GetProperty("status").GetInt32());
        Assert.Equal("System.InvalidOperationException: boom", root.GetProperty("detail").GetString());
        var exception = root.GetProperty("exception");
        Assert.Equal("System.InvalidOperationException", exception.GetProperty("type").GetString());
        Assert.Equal("boom", exception.GetProperty("message").GetString());
        Assert.StartsWith("   at ", exception.GetProperty("stackTrace").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnhandledException_Production_GenericBodyNothingLeaksDetailsInTheLog()
    {
        await using var app = await StartAsync("Production");

        var response = await app.GetAsync("/throw", App);

        await ResponseAssert.BodyAsync(response, 500, """{"title":"An error occurred while processing your request.","status":500}""");
        ResponseAssert.Headers(response, ("Content-Type", "application/problem+json"), ("Access-Control-Allow-Origin", App), ("Vary", "Origin"));
        var log = Assert.Single(app.Logs.ForEvent(6));
        Assert.Equal("boom", log.Exception?.Message);
        Assert.Equal("Unhandled exception for GET /throw; CorsKit answered 500 with the CORS headers of the request's policy, if one applies, so the browser shows the error, not a CORS failure", log.Message);
    }
}

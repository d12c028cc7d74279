using System.Text.Json;
using CorsKit.Cli.Check;
using CorsKit.Browser.Fixes;
using CorsKit.Cli.Http;

namespace CorsKit.Cli.Output;

/// <summary>Prints a <see cref="CheckReport"/> as one JSON object, for scripts and CI.</summary>
internal static class CheckJsonWriter
{
    public static void Write(Terminal terminal, CheckReport report, string? fixFor = null)
    {
        var document = new
        {
            url = report.Url,
            origin = report.Origin,
            method = report.Method,
            credentials = report.Credentials.ToString().ToLowerInvariant(),
            allowed = report.Allowed,
            preflightSent = report.PreflightSent,
            preflightReasons = report.PreflightReasons,
            failedCheck = report.FailedCheck,
            failedOnPreflight = report.FailedOnPreflight,
            chromiumMessage = report.ChromiumMessage,
            firefoxMessage = report.FirefoxMessage,
            firefoxConsole = report.FirefoxConsole,
            webkitMessage = report.WebKitMessage,
            webkitConsole = report.WebKitConsole,
            exposedHeaders = report.ExposedHeaders,
            preflightCacheSeconds = report.PreflightCache is { } cache
                ? new { chromium = cache.Chromium.TotalSeconds, firefox = cache.Firefox.TotalSeconds, webkit = cache.WebKit.TotalSeconds }
                : null,
            warnings = report.Warnings,
            serverError = report.ServerError is { } error ? new { status = error.Status, body = error.Body } : null,
            exchanges = report.Exchanges.Select(ToJson),
            fix = report.Fix is { } fix ? FixJson(fix, fixFor) : null,
        };
        terminal.Raw(JsonSerializer.Serialize(document, Json.Options) + Environment.NewLine);
    }

    public static object ToJson(HttpExchange exchange) => new
    {
        kind = exchange.Kind,
        request = new { method = exchange.Method, url = exchange.Url, headers = exchange.RequestHeaders.Select(h => new { name = h.Key, value = h.Value }) },
        response = new { status = exchange.Status, reason = exchange.Reason, headers = exchange.ResponseHeaders.Select(h => new { name = h.Key, value = h.Value }), body = exchange.Body },
    };

    public static object FixJson(FixPlan fix, string? fixFor = null) => new
    {
        summary = fix.Summary,
        headers = fix.RequiredHeaders(),
        notes = fix.Notes,
        policy = fix.Policy is { } policy ? new { name = policy.Name, kind = policy.Kind, missing = policy.Missing, allowed = policy.Allowed } : null,
        snippets = FixSnippets.For(fix, fixFor),
    };
}

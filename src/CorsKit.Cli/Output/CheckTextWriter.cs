using CorsKit.Cli.Check;
using CorsKit.Browser.Fixes;
using CorsKit.Cli.Http;

namespace CorsKit.Cli.Output;

/// <summary>Prints a <see cref="CheckReport"/> for a person: each exchange like <c>curl -i</c>, then the verdict and the fix.</summary>
internal static class CheckTextWriter
{
    public static void Write(Terminal terminal, CheckReport report, string? fixFor = null)
    {
        var credentials = report.Credentials == CorsKit.Browser.CredentialsMode.Include ? ", with credentials" : string.Empty;
        terminal.Line($"corskit check: {report.Method} {report.Url} from origin {report.Origin}{credentials}", Terminal.Bold);
        terminal.Line();
        if (report.PreflightSent)
        {
            terminal.Line("A browser sends a preflight first, because:");
            foreach (var reason in report.PreflightReasons)
            {
                terminal.Line($"  - {reason}");
            }
        }
        else
        {
            terminal.Line("No preflight: the method and every header are CORS-safelisted.");
        }

        foreach (var warning in report.Warnings)
        {
            terminal.Line($"warning: {warning}", Terminal.Yellow);
        }

        foreach (var exchange in report.Exchanges)
        {
            terminal.Line();
            WriteExchange(terminal, exchange, showBody: exchange.Status >= 400 || (!report.Allowed && exchange == report.Exchanges[^1]));
        }

        terminal.Line();
        if (report.Allowed && report.ServerError is { } failed)
        {
            terminal.Line($"ALLOWED by CORS, but the request failed: {$"{failed.Status} {failed.Reason}".TrimEnd()}. The script gets this response (response.ok is false), not a CORS error: fix the {failed.Status} (its body is above).", Terminal.Yellow);
        }
        else if (report.Allowed)
        {
            terminal.Line("ALLOWED: the browser gives the response to the script.", Terminal.Green);
        }

        if (report.Allowed)
        {
            terminal.Line($"Script can read: {(report.ExposedHeaders.Count == 0 ? "(no headers)" : string.Join(", ", report.ExposedHeaders))}");
            if (report.PreflightCache is { } cache)
            {
                terminal.Line($"Preflight cached for: Chromium {cache.Chromium.TotalSeconds:0} s, Firefox {cache.Firefox.TotalSeconds:0} s, WebKit {cache.WebKit.TotalSeconds:0} s");
            }

            return;
        }

        terminal.Line($"BLOCKED: {report.FailedCheck}{(report.FailedOnPreflight ? " (on the preflight)" : string.Empty)}", Terminal.Red);
        terminal.Line("Chromium's console:");
        terminal.Line($"  {report.ChromiumMessage}");
        if (report.FirefoxConsole.Count > 0)
        {
            terminal.Line("Firefox's console:");
            foreach (var line in report.FirefoxConsole)
            {
                terminal.Line($"  {line}");
            }
        }

        if (report.WebKitConsole.Count > 0)
        {
            terminal.Line("WebKit's (Safari's) console:");
            foreach (var line in report.WebKitConsole)
            {
                terminal.Line($"  {line}");
            }
        }

        if (report.ServerError is { } error)
        {
            terminal.Line();
            terminal.Line($"The browser will show a CORS error, but the server failed with {error.Status}. The real error is the response body above:", Terminal.Yellow);
            terminal.Line($"  {Excerpt(error.Body, 300)}");
        }

        if (report.Fix is { } fix)
        {
            terminal.Line();
            WriteFix(terminal, fix, fixFor);
        }
    }

    public static void WriteExchange(Terminal terminal, HttpExchange exchange, bool showBody)
    {
        var url = new Uri(exchange.Url);
        terminal.Line($"── {exchange.Kind} ──", Terminal.Dim);
        terminal.Line($"> {exchange.Method} {url.PathAndQuery} HTTP/1.1", Terminal.Cyan);
        terminal.Line($"> Host: {url.Authority}", Terminal.Cyan);
        foreach (var (name, value) in exchange.RequestHeaders)
        {
            terminal.Line($"> {name}: {value}", Terminal.Cyan);
        }

        terminal.Line();
        terminal.Line($"HTTP/{exchange.Version} {exchange.Status} {exchange.Reason}".TrimEnd(), Terminal.Bold);
        foreach (var (name, value) in exchange.ResponseHeaders)
        {
            terminal.Line($"{name}: {value}", name.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase) || name.Equals("Vary", StringComparison.OrdinalIgnoreCase) ? Terminal.Yellow : null);
        }

        if (showBody && exchange.Body.Length > 0)
        {
            terminal.Line();
            terminal.Line(Excerpt(exchange.Body, 1000));
        }
    }

    public static void WriteFix(Terminal terminal, FixPlan fix, string? fixFor = null)
    {
        terminal.Line("Fix:", Terminal.Bold);
        terminal.Line($"  {fix.Summary}");
        foreach (var note in fix.Notes)
        {
            terminal.Line($"  {note}");
        }

        terminal.Line("The server must send:");
        foreach (var header in fix.RequiredHeaders())
        {
            terminal.Line($"  {header}");
        }

        foreach (var (framework, snippet) in FixSnippets.For(fix, fixFor))
        {
            terminal.Line();
            terminal.Line($"{framework}:", Terminal.Bold);
            foreach (var line in snippet.Split('\n'))
            {
                terminal.Line($"    {line}");
            }
        }
    }

    private static string Excerpt(string body, int max)
    {
        var text = body.Trim();
        return text.Length <= max ? text : text[..max] + " ...";
    }
}

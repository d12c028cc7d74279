using System.ComponentModel;
using System.Text.Json;
using CorsKit.Browser;
using CorsKit.Cli.Errors;
using CorsKit.Cli.Explain;
using CorsKit.Browser.Fixes;
using CorsKit.Cli.Output;
using Spectre.Console;
using Spectre.Console.Cli;

namespace CorsKit.Cli.Commands;

/// <summary><c>corskit explain "&lt;console message&gt;"</c>: what a browser's CORS error means, why it happens, how to fix it.</summary>
internal sealed class ExplainCommand(IAnsiConsole console) : Command<ExplainCommand.Settings>
{
    private const string UnknownOrigin = "https://your-page.example";

    internal sealed class Settings : OutputSettings
    {
        [CommandArgument(0, "<message>")]
        [Description("The console message, pasted whole (quote it); the lines around it may come along")]
        public string Message { get; set; } = string.Empty;
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var terminal = new Terminal(console, settings.NoColor);
        var parsed = ConsoleMessageParser.Parse(settings.Message)
            ?? throw new UsageException("explain: not a CORS message I know. Paste the browser's whole console line, such as \"Access to fetch at ...\" (Chromium), \"Cross-Origin Request Blocked: ...\" (Firefox) or \"Origin ... is not allowed by Access-Control-Allow-Origin. ...\" (Safari).");

        var explanation = parsed.ReadsAlike.Count == 0
            ? Explanation.For(parsed.Failure, parsed.OnPreflight)
            : new Explanation(
                "Access-Control-Allow-Origin, on the preflight or on the response, was missing, named another origin, or was not an origin at all ('null' included): WebKit's words are the same for each.",
                [.. parsed.ReadsAlike.SelectMany(f => Explanation.For(f, onPreflight: false).Causes).Distinct()]);
        var fix = parsed.NetworkError ? null : FixFor(parsed);
        var notes = Notes(parsed);
        var check = CheckCommandFor(parsed);
        if (settings.Format == "json")
        {
            terminal.Raw(JsonSerializer.Serialize(
                new
                {
                    browser = parsed.Browser,
                    failedCheck = parsed.NetworkError ? null : parsed.Failure.ToString(),
                    readsAlike = parsed.ReadsAlike.Select(f => f.ToString()),
                    onPreflight = parsed.PreflightUnknown ? (bool?)null : parsed.OnPreflight,
                    url = parsed.Url,
                    origin = parsed.Origin,
                    method = parsed.Method,
                    status = parsed.Status,
                    value = parsed.Value,
                    meaning = explanation.Meaning,
                    causes = explanation.Causes,
                    notes,
                    fix = fix is null ? null : CheckJsonWriter.FixJson(fix),
                    check,
                },
                Json.Options) + Environment.NewLine);
            return ExitCodes.Ok;
        }

        var what = parsed.NetworkError ? "network error" : parsed.ReadsAlike.Count > 0 ? string.Join(" or ", parsed.ReadsAlike) : parsed.Failure.ToString();
        terminal.Line($"{parsed.Browser}: {what}{(parsed.OnPreflight ? " (on the preflight)" : string.Empty)}", Terminal.Bold);
        terminal.Line($"  request: {parsed.Method ?? string.Empty}{(parsed.Method is null ? string.Empty : " ")}{parsed.Url ?? "(the URL is not in the paste)"}{(parsed.Origin is null ? string.Empty : $" from origin {parsed.Origin}")}");
        if (parsed.Status is { } status)
        {
            terminal.Line($"  status: {status}");
        }

        terminal.Line();
        terminal.Line("What it means:", Terminal.Bold);
        terminal.Line($"  {explanation.Meaning}");
        foreach (var note in notes)
        {
            terminal.Line($"  {note}", Terminal.Yellow);
        }

        terminal.Line();
        terminal.Line("Likely causes:", Terminal.Bold);
        foreach (var cause in explanation.Causes)
        {
            terminal.Line($"  - {cause}");
        }

        if (fix is not null)
        {
            terminal.Line();
            CheckTextWriter.WriteFix(terminal, fix);
        }

        terminal.Line();
        terminal.Line($"See exactly what the server answers: {check}", Terminal.Dim);
        return ExitCodes.Ok;
    }

    private static List<string> Notes(ParsedMessage parsed)
    {
        var notes = new List<string>();
        if (parsed.ReadsAlike.Count > 0)
        {
            notes.Add($"WebKit words {string.Join(", ", parsed.ReadsAlike)} alike: a missing, a wrong and a 'null' Access-Control-Allow-Origin all read \"Origin ... is not allowed by Access-Control-Allow-Origin\". The check command below tells which.");
        }

        if (parsed.PreflightUnknown)
        {
            notes.Add("WebKit does not say whether the preflight or the request itself failed: run the check command below with your script's method and headers, so it sends the same preflight.");
        }

        if (parsed.Status is >= 400 and var status && parsed.Failure is CorsFailure.MissingAllowOrigin or CorsFailure.PreflightInvalidStatus)
        {
            notes.Add($"The server answered {status}: that is the real failure. Its error response carried no CORS headers, so the browser reports CORS; fix the {status} (and make error responses carry the CORS headers).");
        }

        if (parsed.Status is >= 300 and < 400 and var redirect && parsed.Failure != CorsFailure.PreflightRedirect)
        {
            notes.Add($"The answer was a {redirect} redirect. If it answered the preflight, that alone blocks the request: browsers never follow a redirected preflight (let CORS answer OPTIONS before any redirect, or call the final URL).");
        }

        if (parsed.OpaqueTip)
        {
            notes.Add("The tip to set mode 'no-cors' does not help a script that reads the response: a no-cors response is opaque (no status, headers or body). Fix the server instead.");
        }

        return notes;
    }

    // The command that shows the server's answer; after a preflight failure (or when WebKit cannot say) it sends the
    // same preflight: -X and -H with what the message names, or placeholders to fill in.
    private static string CheckCommandFor(ParsedMessage parsed)
    {
        var parts = new List<string> { "corskit check", parsed.Url ?? "<URL>", "--origin", parsed.Origin ?? "<your page's origin>" };
        if (parsed.OnPreflight || parsed.PreflightUnknown)
        {
            var method = parsed.Failure == CorsFailure.MethodDisallowedByPreflightResponse ? parsed.Value : parsed.Method;
            var header = parsed.Failure == CorsFailure.HeaderDisallowedByPreflightResponse ? parsed.Value : null;
            var value = string.Equals(header, "content-type", StringComparison.OrdinalIgnoreCase) ? "application/json" : "1";
            parts.Add("-X");
            parts.Add(method ?? "<METHOD>");
            parts.Add("-H");
            parts.Add(header is null ? "\"<Header>: <value>\"" : $"\"{header}: {value}\"");
        }

        if (parsed.Failure is CorsFailure.WildcardOriginWithCredentials or CorsFailure.InvalidAllowCredentials)
        {
            parts.Add("--credentials");
        }

        return string.Join(' ', parts);
    }

    private static FixPlan FixFor(ParsedMessage parsed)
    {
        var origin = parsed.Origin ?? UnknownOrigin;
        var credentials = parsed.Failure is CorsFailure.WildcardOriginWithCredentials or CorsFailure.InvalidAllowCredentials;
        var method = parsed.Failure == CorsFailure.MethodDisallowedByPreflightResponse && parsed.Value is { } m ? new[] { m } : [];
        var header = parsed.Failure == CorsFailure.HeaderDisallowedByPreflightResponse && parsed.Value is { } h ? new[] { h.ToLowerInvariant() } : [];
        var summary = parsed.Failure switch
        {
            CorsFailure.MissingAllowOrigin when parsed.ReadsAlike.Count > 0 => $"Send exactly Access-Control-Allow-Origin: {origin} (no other value, not null) on every response of this URL, error responses and the preflight included, with Vary: Origin.",
            CorsFailure.MissingAllowOrigin => $"Send Access-Control-Allow-Origin: {origin} on every response of this URL{(parsed.OnPreflight ? ", the preflight included" : ", error responses included")}.",
            CorsFailure.MultipleAllowOriginValues => "Set Access-Control-Allow-Origin in one place only: remove it from the handler or the proxy.",
            CorsFailure.InvalidAllowOrigin or CorsFailure.AllowOriginMismatch => $"Send exactly the page's origin, {origin}, and Vary: Origin.",
            CorsFailure.WildcardOriginWithCredentials => $"Echo the allowed origin ({origin}) instead of '*', with Vary: Origin.",
            CorsFailure.InvalidAllowCredentials => "Send Access-Control-Allow-Credentials: true (exactly).",
            CorsFailure.PreflightInvalidStatus => "Answer OPTIONS with 204: put CORS before authentication, routing and redirects.",
            CorsFailure.PreflightRedirect => "Do not redirect OPTIONS: call the final URL, or let CORS answer before any redirect.",
            CorsFailure.InvalidAllowMethodsPreflightResponse or CorsFailure.InvalidAllowHeadersPreflightResponse => "Separate the names with commas.",
            CorsFailure.MethodDisallowedByPreflightResponse => $"Add {parsed.Value ?? "the method"} to Access-Control-Allow-Methods.",
            CorsFailure.HeaderDisallowedByPreflightResponse => $"Add {parsed.Value ?? "the header"} to Access-Control-Allow-Headers.",
            _ => "Send the CORS headers below.",
        };
        return new FixPlan { Summary = summary, Origin = origin, Credentials = credentials, Methods = method, Headers = header };
    }
}

using System.ComponentModel;
using System.Text.Json;
using CorsKit.Browser;
using CorsKit.Cli.Errors;
using CorsKit.Cli.Explain;
using CorsKit.Cli.Fixes;
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
        [Description("The console message, pasted whole (quote it)")]
        public string Message { get; set; } = string.Empty;
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var terminal = new Terminal(console, settings.NoColor);
        var parsed = ConsoleMessageParser.Parse(settings.Message);
        if (parsed is null)
        {
            throw new UsageException("explain: not a CORS message I know. Paste the browser's whole console line, such as \"Access to fetch at ...\" (Chromium), \"Cross-Origin Request Blocked: ...\" (Firefox) or \"Origin ... is not allowed by Access-Control-Allow-Origin. ...\" (Safari).");
        }

        var explanation = Explanation.For(parsed.Failure, parsed.OnPreflight);
        var fix = parsed.NetworkError ? null : FixFor(parsed);
        if (settings.Format == "json")
        {
            terminal.Raw(JsonSerializer.Serialize(
                new
                {
                    browser = parsed.Browser,
                    failedCheck = parsed.NetworkError ? null : parsed.Failure.ToString(),
                    onPreflight = parsed.OnPreflight,
                    url = parsed.Url,
                    origin = parsed.Origin,
                    value = parsed.Value,
                    meaning = explanation.Meaning,
                    causes = explanation.Causes,
                    fix = fix is null ? null : CheckJsonWriter.FixJson(fix),
                },
                Json.Options) + Environment.NewLine);
            return ExitCodes.Ok;
        }

        terminal.Line($"{parsed.Browser}: {(parsed.NetworkError ? "network error" : parsed.Failure.ToString())}{(parsed.OnPreflight ? " (on the preflight)" : string.Empty)}", Terminal.Bold);
        terminal.Line($"  request: {parsed.Url}{(parsed.Origin is null ? string.Empty : $" from origin {parsed.Origin}")}");
        terminal.Line();
        terminal.Line("What it means:", Terminal.Bold);
        terminal.Line($"  {explanation.Meaning}");
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

        if (parsed.Url is { Length: > 0 } url)
        {
            terminal.Line();
            terminal.Line($"See exactly what the server answers: corskit check {url} --origin {parsed.Origin ?? UnknownOrigin}", Terminal.Dim);
        }

        return ExitCodes.Ok;
    }

    private static FixPlan FixFor(ParsedMessage parsed)
    {
        var origin = parsed.Origin ?? UnknownOrigin;
        var credentials = parsed.Failure is CorsFailure.WildcardOriginWithCredentials or CorsFailure.InvalidAllowCredentials;
        var method = parsed.Failure == CorsFailure.MethodDisallowedByPreflightResponse && parsed.Value is { } m ? new[] { m } : [];
        var header = parsed.Failure == CorsFailure.HeaderDisallowedByPreflightResponse && parsed.Value is { } h ? new[] { h.ToLowerInvariant() } : [];
        var summary = parsed.Failure switch
        {
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

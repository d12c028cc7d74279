using System.ComponentModel;
using CorsKit.Browser;
using CorsKit.Cli.Check;
using CorsKit.Browser.Fixes;
using CorsKit.Cli.Http;
using CorsKit.Cli.Output;
using Spectre.Console;
using Spectre.Console.Cli;

namespace CorsKit.Cli.Commands;

/// <summary><c>corskit check &lt;url&gt; --origin &lt;origin&gt;</c>: what a browser would send, and what it would do with the answer.</summary>
internal sealed class CheckCommand(IAnsiConsole console) : AsyncCommand<CheckCommand.Settings>
{
    internal sealed class Settings : RequestSettings
    {
        [CommandOption("--origin <ORIGIN>")]
        [Description("The page's origin, such as https://app.example.com (or null)")]
        public string? Origin { get; set; }

        [CommandOption("-X|--method <METHOD>")]
        [Description("The request method (default GET)")]
        [DefaultValue("GET")]
        public string Method { get; set; } = "GET";

        [CommandOption("-H|--header <HEADER>")]
        [Description("A request header the script sets, \"Name: value\" (repeatable)")]
        public string[] Headers { get; set; } = [];

        [CommandOption("--credentials")]
        [Description("The script sends credentials (fetch credentials: 'include', XHR withCredentials)")]
        public bool Credentials { get; set; }

        [CommandOption("--fix-for <FRAMEWORK>")]
        [Description("Print the fix for one framework only: corskit, microsoft, flask, express or nginx")]
        public string? FixFor { get; set; }

        protected override ValidationResult ValidateCommand()
        {
            if (string.IsNullOrEmpty(Origin))
            {
                return ValidationResult.Error("--origin is required: the origin of the page that makes the request, such as https://app.example.com");
            }

            if (Origin != CorsKit.Origins.Origin.Null && !CorsKit.Origins.Origin.TryParse(Origin, out _, out var error))
            {
                return ValidationResult.Error($"--origin {error}");
            }

            if (Method.Length == 0 || !Method.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal)))
            {
                return ValidationResult.Error($"-X '{Method}' is not an HTTP method; a method is one token, such as GET, PUT or PATCH");
            }

            if (CorsKit.Browser.Safelist.IsForbiddenMethod(Method))
            {
                return ValidationResult.Error($"-X {Method} is a forbidden method: fetch() throws a TypeError before sending anything, so no browser sends it");
            }

            if (FixFor is not null && FixSnippets.Find(FixFor) is null)
            {
                return ValidationResult.Error($"--fix-for must be one of: {string.Join(", ", FixSnippets.Keys)}");
            }

            foreach (var header in Headers)
            {
                if (ParseHeader(header) is null)
                {
                    return ValidationResult.Error($"-H '{header}' is not \"Name: value\"");
                }
            }

            return ValidationResult.Success();
        }

        /// <summary>Splits <c>Name: value</c> at the first colon, both sides trimmed; <see langword="null"/> when the name is empty or has a space.</summary>
        internal static HeaderField? ParseHeader(string header)
        {
            var colon = header.IndexOf(':', StringComparison.Ordinal);
            var name = colon <= 0 ? string.Empty : header[..colon].Trim();
            return name.Length == 0 || name.Contains(' ', StringComparison.Ordinal) ? null : new HeaderField(name, header[(colon + 1)..].Trim());
        }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var origin = settings.Origin == CorsKit.Origins.Origin.Null ? settings.Origin : CorsKit.Origins.Origin.Parse(settings.Origin!).Serialized;
        var headers = settings.Headers.Select(h => (HeaderField)Settings.ParseHeader(h)!).ToList(); // ValidateCommand refused any that does not parse
        var options = new CheckOptions(
            new Uri(settings.Url),
            origin!,
            settings.Method,
            headers,
            settings.Credentials ? CredentialsMode.Include : CredentialsMode.SameOrigin,
            TimeSpan.FromSeconds(settings.Timeout),
            settings.Insecure);

        var terminal = new Terminal(console, settings.NoColor);
        using var client = new ExchangeClient(options.Timeout, options.Insecure);
        var report = await terminal.WithSpinnerAsync($"Sending what a browser sends to {options.Url.Authority}...", () => CheckRunner.RunAsync(options, client, cancellationToken)).ConfigureAwait(false);
        if (settings.Format == "json")
        {
            CheckJsonWriter.Write(terminal, report, settings.FixFor);
        }
        else
        {
            CheckTextWriter.Write(terminal, report, settings.FixFor);
        }

        return report.Allowed ? ExitCodes.Ok : ExitCodes.Failed;
    }
}

using System.Globalization;
using System.Text.RegularExpressions;
using CorsKit.Browser;
using CorsKit.Cli.Errors;

namespace CorsKit.Cli.Explain;

/// <summary>
/// Recognises CORS console messages as people paste them: Chromium's (today's wording, generated from the browser
/// model's own <see cref="ChromiumMessages"/>, and the older ones), Firefox's and WebKit's (Safari), with the console's
/// prefixes (<c>localhost/:1 </c>, <c>app.js:12 </c>, <c>[Error] </c>) and among the lines around them. Each line is read
/// against one table of patterns; the first line that names a failed check is the answer, and the lines around it fill
/// in what it leaves out (WebKit's URL, the request's method and status).
/// </summary>
internal static partial class ConsoleMessageParser
{
    private const string Placeholder = "\u0001VALUE\u0001";

    /// <summary>How a row's whole-line pattern is read: its failure is fixed, or found in its <c>rest</c> group by a reason table.</summary>
    private sealed record Row(string Browser, Regex Line, Reason[]? Reasons = null, CorsFailure Failure = CorsFailure.None, bool OnPreflight = false, CorsFailure[]? ReadsAlike = null);

    private sealed record Reason(CorsFailure Failure, bool OnPreflight, Regex Pattern);

    private static readonly CorsFailure[] WebKitOriginAlike = [CorsFailure.MissingAllowOrigin, CorsFailure.AllowOriginMismatch, CorsFailure.InvalidAllowOrigin];

    // Chromium: the reasons of today (the model's words), then older wordings users still paste.
    private static readonly Reason[] ChromiumReasons =
    [
        .. ModelReasons(),
        new(CorsFailure.PreflightInvalidStatus, true, Whole(@"Response for preflight has invalid HTTP status code (?<status>\d+)\.?")),
        new(CorsFailure.PreflightRedirect, true, Whole(@"Response for preflight is invalid \(redirect\)\.?")),
        new(CorsFailure.PreflightRedirect, true, Whole(@"The request was redirected to '(?<value>[^']*)', which is disallowed for cross-origin requests that require preflight\.")),
        new(CorsFailure.WildcardOriginWithCredentials, false, Whole(@"(?:Response to preflight request doesn't pass access control check: )?A wildcard '\*' cannot be used in the 'Access-Control-Allow-Origin' header when the credentials flag is true\.")),
        new(CorsFailure.InvalidAllowCredentials, false, Whole(@"(?:Response to preflight request doesn't pass access control check: )?Credentials flag is 'true', but the 'Access-Control-Allow-Credentials' header is '(?<value>[^']*)'\. It must be 'true' to allow credentials\.")),
    ];

    // Firefox's reasons (security.properties), with ‘curly’ or 'straight' quotes; older names of the same checks too.
    private static readonly Reason[] FirefoxReasons =
    [
        new(CorsFailure.None, false, Whole(@"CORS request did not succeed")),
        new(CorsFailure.MissingAllowOrigin, false, Whole(@"CORS header [‘']Access-Control-Allow-Origin[’'] missing")),
        new(CorsFailure.MultipleAllowOriginValues, false, Whole(@"Multiple CORS header [‘']Access-Control-Allow-Origin[’'] not allowed")),
        new(CorsFailure.AllowOriginMismatch, false, Whole(@"CORS header [‘']Access-Control-Allow-Origin[’'] does not match [‘'](?<value>.*)[’']")),
        new(CorsFailure.WildcardOriginWithCredentials, false, Whole(@"Credential is not supported if the CORS header [‘']Access-Control-Allow-Origin[’'] is [‘']\*[’']")),
        new(CorsFailure.InvalidAllowCredentials, false, Whole(@"expected [‘']true[’'] in CORS header [‘']Access-Control-Allow-Credentials[’']")),
        new(CorsFailure.PreflightInvalidStatus, true, Whole(@"CORS preflight (?:response|channel) did not succeed")),
        new(CorsFailure.PreflightRedirect, true, Whole(@"CORS request external redirect not allowed")),
        new(CorsFailure.InvalidAllowMethodsPreflightResponse, true, Whole(@"invalid token [‘'](?<value>.*)[’'] in CORS header [‘']Access-Control-Allow-Methods[’']")),
        new(CorsFailure.InvalidAllowHeadersPreflightResponse, true, Whole(@"invalid token [‘'](?<value>.*)[’'] in CORS header [‘']Access-Control-Allow-Headers[’']")),
        new(CorsFailure.MethodDisallowedByPreflightResponse, true, Whole(@"Did not find method in CORS header [‘']Access-Control-Allow-Methods[’']")),
        new(CorsFailure.HeaderDisallowedByPreflightResponse, true, Whole(@"header [‘'](?<value>[^’']*)[’'] is not allowed according to header [‘']Access-Control-Allow-Headers[’'] from CORS preflight response")),
        new(CorsFailure.HeaderDisallowedByPreflightResponse, true, Whole(@"missing token [‘'](?<value>[^’']*)[’'] in CORS header [‘']Access-Control-Allow-Headers[’'] from CORS preflight channel")),
    ];

    // One row per kind of line. Order matters only where two rows could match the same line (the more specific first).
    private static readonly Row[] Rows =
    [
        new("Chromium", Whole(@"Access to (?:fetch|XMLHttpRequest|font|script|image|CSS stylesheet) at '(?<url>[^']*)' (?:\(redirected from '(?<from>[^']*)'\) )?from origin '(?<origin>[^']*)' has been blocked by CORS policy: (?<rest>.*)"), ChromiumReasons),
        new("Chromium", Whole(@"Failed to load (?<url>[a-z][a-z0-9+.-]*://\S+?): (?<rest>.*)"), ChromiumReasons),
        new("Chromium", Whole(@"XMLHttpRequest cannot load (?<url>[a-z][a-z0-9+.-]*://\S+?)\. (?<rest>.*)"), ChromiumReasons),
        new("Firefox", Whole(@"Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at [‘']?(?<url>[^’'\s]*?)[’']?\. \(Reason: (?<rest>.*?)\)\.?(?: Status code: (?:(?<status>\d+)|\(null\))\.)?"), FirefoxReasons),
        new("Firefox", Whole(@"Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at (?<url>\S+?)\. This can be fixed by moving the resource to the same domain or enabling CORS\."), Failure: CorsFailure.MissingAllowOrigin),
        new("WebKit", Whole(@"Cross-origin redirection to (?<value>\S+) denied by Cross-Origin Resource Sharing policy: Origin (?<origin>\S+) is not allowed by Access-Control-Allow-Origin\.(?: Status code: (?<status>\d+))?"), Failure: CorsFailure.MissingAllowOrigin, ReadsAlike: WebKitOriginAlike),
        new("WebKit", Whole(@"Origin (?<origin>\S+) is not allowed by Access-Control-Allow-Origin\.(?: Status code: (?<status>\d+))?"), Failure: CorsFailure.MissingAllowOrigin, ReadsAlike: WebKitOriginAlike),
        new("WebKit", Whole(@"Cannot use wildcard in Access-Control-Allow-Origin when credentials flag is true\."), Failure: CorsFailure.WildcardOriginWithCredentials),
        new("WebKit", Whole(@"Access-Control-Allow-Origin cannot contain more than one origin\."), Failure: CorsFailure.MultipleAllowOriginValues),
        new("WebKit", Whole(@"Credentials flag is true, but Access-Control-Allow-Credentials is not ""true""\."), Failure: CorsFailure.InvalidAllowCredentials),
        new("WebKit", Whole(@"Method (?<value>\S+) is not allowed by Access-Control-Allow-Methods\."), Failure: CorsFailure.MethodDisallowedByPreflightResponse, OnPreflight: true),
        new("WebKit", Whole(@"Request header field (?<value>\S+) is not allowed by Access-Control-Allow-Headers\."), Failure: CorsFailure.HeaderDisallowedByPreflightResponse, OnPreflight: true),
        new("WebKit", Whole(@"Header Access-Control-Allow-Methods has an invalid value: (?<value>.*)"), Failure: CorsFailure.InvalidAllowMethodsPreflightResponse, OnPreflight: true),
        new("WebKit", Whole(@"Header Access-Control-Allow-Headers has an invalid value: (?<value>.*)"), Failure: CorsFailure.InvalidAllowHeadersPreflightResponse, OnPreflight: true),
        new("WebKit", Whole(@"Preflight response is not successful\. Status code: (?<status>30[12378])"), Failure: CorsFailure.PreflightRedirect, OnPreflight: true),
        new("WebKit", Whole(@"Preflight response is not successful\.(?: Status code: (?<status>\d+))?"), Failure: CorsFailure.PreflightInvalidStatus, OnPreflight: true),
    ];

    // Lines that carry no reason but fill in the one that does.
    [GeneratedRegex(@"^(?:Fetch API|XMLHttpRequest) cannot load (?<url>\S+?) due to access control checks\.$")]
    private static partial Regex WebKitCannotLoad();

    [GeneratedRegex(@"^(?<method>[A-Za-z]+) (?<url>[a-z][a-z0-9+.-]*://\S+) net::ERR_\w+(?: (?<status>\d{3})(?: \([^)]*\))?)?$")]
    private static partial Regex RequestLine();

    // What consoles put before a message: Safari's level, MiniBrowser's "CONSOLE ... ERROR", the source location
    // (localhost/:1, app.js:12, (index):1, main.js:12:5), Safari's "Failed to load resource: ".
    [GeneratedRegex(@"^(?:\[(?:Error|Warning|Log|Info)\]\s*)?(?:CONSOLE (?:[A-Z]+ )?(?:ERROR|WARNING|LOG) )?(?:\S+?:\d+(?::\d+)?\s+)?(?:Failed to load resource: )?")]
    private static partial Regex ConsolePrefix();

    // Chromium's sentences that name no check: removed before the reason is read (older ones give the origin and status).
    [GeneratedRegex(@" ?Origin '(?<origin>[^']*)' is therefore not allowed access\.| ?The response had HTTP status code (?<status>\d+)\.|^Redirect from '[^']*' to '(?<redirect>[^']*)' has been blocked by CORS policy: ")]
    private static partial Regex ChromiumOldSentences();

    [GeneratedRegex(@"(?:,? or,)? ?(?:if an opaque response serves your needs|If an opaque response serves your needs), set the request's mode to 'no-cors' to fetch the resource with CORS disabled\.")]
    private static partial Regex OpaqueTip();

    /// <summary>The message in <paramref name="paste"/>, or <see langword="null"/> when no line is a CORS message.</summary>
    /// <exception cref="UsageException">The paste holds only a line that names no reason (WebKit's second line, a page's TypeError).</exception>
    public static ParsedMessage? Parse(string paste)
    {
        var lines = paste.Split('\n').Select(l => ConsolePrefix().Replace(l.Trim(), string.Empty, 1).Trim()).Where(l => l.Length > 0).ToList();
        var found = lines.Select(Read).OfType<ParsedMessage>().ToList();
        var message = found.FirstOrDefault(m => !m.NetworkError) ?? found.FirstOrDefault();
        var request = lines.Select(l => RequestLine().Match(l)).FirstOrDefault(m => m.Success);
        var webKitUrl = lines.Select(l => WebKitCannotLoad().Match(l)).FirstOrDefault(m => m.Success)?.Groups["url"].Value;
        if (message is null)
        {
            if (webKitUrl is not null)
            {
                throw new UsageException($"explain: WebKit (Safari) names the reason on the line before \"cannot load {webKitUrl} due to access control checks\"; paste both lines, or run: corskit check {webKitUrl} --origin <your page's origin>");
            }

            var hint = lines.Select(PageErrorHint).OfType<string>().FirstOrDefault();
            return hint is null ? null : throw new UsageException($"explain: {hint}");
        }

        return message with
        {
            Url = message.Url ?? webKitUrl ?? (request?.Success == true ? request.Groups["url"].Value : null),
            Method = request?.Success == true ? request.Groups["method"].Value.ToUpperInvariant() : null,
            Status = message.Status ?? (request?.Groups["status"].Success == true ? int.Parse(request.Groups["status"].Value, CultureInfo.InvariantCulture) : null),
        };
    }

    private static ParsedMessage? Read(string line)
    {
        foreach (var row in Rows)
        {
            var match = row.Line.Match(line);
            if (!match.Success)
            {
                continue;
            }

            var url = Group(match, "url");
            var origin = Group(match, "origin");
            var status = Group(match, "status");
            if (row.Reasons is null)
            {
                return new ParsedMessage(row.Browser, row.Failure, row.OnPreflight, url, origin, Group(match, "value"))
                {
                    Status = ToStatus(status),
                    ReadsAlike = row.ReadsAlike ?? [],
                    PreflightUnknown = row.Browser == "WebKit" && !row.OnPreflight,
                };
            }

            var rest = match.Groups["rest"].Value;
            var opaqueTip = OpaqueTip().IsMatch(rest);
            foreach (Match sentence in ChromiumOldSentences().Matches(rest))
            {
                origin ??= Group(sentence, "origin");
                status ??= Group(sentence, "status");
                url = Group(sentence, "redirect") ?? url; // the redirect's target is what failed the check
            }

            var reasonText = Bare(ChromiumOldSentences().Replace(rest, string.Empty)).Trim();
            foreach (var reason in row.Reasons)
            {
                if (reason.Pattern.Match(reasonText) is { Success: true } found)
                {
                    var failure = reason.Failure;
                    return new ParsedMessage(row.Browser, failure, reason.OnPreflight, url, origin, Group(found, "value"), NetworkError: failure == CorsFailure.None)
                    {
                        Status = ToStatus(status ?? Group(found, "status")),
                        OpaqueTip = opaqueTip,
                    };
                }
            }
        }

        return null;
    }

    // The page's own error says only that the request failed; the reason is in the console.
    private static string? PageErrorHint(string line) => line switch
    {
        _ when line.Contains("TypeError: Load failed", StringComparison.Ordinal) => "Safari's \"TypeError: Load failed\" never says why; the reason is the [Error] line in the console before it (\"Origin ... is not allowed by Access-Control-Allow-Origin. ...\"): paste that line",
        _ when line.Contains("TypeError: Failed to fetch", StringComparison.Ordinal) => "Chromium's \"TypeError: Failed to fetch\" never says why; the reason is the console line \"Access to fetch at ... has been blocked by CORS policy: ...\": paste that line",
        _ when line.Contains("NetworkError when attempting to fetch resource", StringComparison.Ordinal) => "Firefox's \"NetworkError when attempting to fetch resource\" never says why; the reason is the console line \"Cross-Origin Request Blocked: ...\": paste that line",
        _ => null,
    };

    // Chromium's tips name no check, and differ by version and by fetch or XHR: both the paste and the model's own
    // words are read without them.
    private static string Bare(string reason) =>
        OpaqueTip().Replace(reason, string.Empty)
            .Replace(ChromiumMessages.ValidValueTip.Trim(), string.Empty, StringComparison.Ordinal)
            .Replace(" Have the server send the header with a valid value", string.Empty, StringComparison.Ordinal)
            .Replace(ChromiumMessages.WithCredentialsTip, string.Empty, StringComparison.Ordinal)
            .Trim();

    private static IEnumerable<Reason> ModelReasons()
    {
        // Preflight variants first: they are longer and would otherwise be shadowed.
        foreach (var onPreflight in new[] { true, false })
        {
            foreach (var failure in Enum.GetValues<CorsFailure>().Where(f => f != CorsFailure.None))
            {
                var variants = new[] { RequestInitiator.Fetch, RequestInitiator.XmlHttpRequest }
                    .Select(i => Bare(ChromiumMessages.Reason(new CorsCheckResult(failure, Placeholder, onPreflight), i)))
                    .Distinct(StringComparer.Ordinal)
                    .Select(text => Regex.Escape(text).Replace(Regex.Escape(Placeholder), "(?<value>.*?)", StringComparison.Ordinal));
                yield return new Reason(failure, onPreflight, new Regex("^(?:" + string.Join("|", variants) + ")$", RegexOptions.CultureInvariant));
            }
        }
    }

    private static string? Group(Match match, string name) => match.Groups[name] is { Success: true, Length: > 0 } group ? group.Value : null;

    // A number no HTTP status can be (pasted or edited by hand, 99999999999) says nothing: the line is read without it.
    private static int? ToStatus(string? status) =>
        int.TryParse(status, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value is >= 100 and <= 999 ? value : null;

    private static Regex Whole(string pattern) => new("^" + pattern + "$", RegexOptions.CultureInvariant | RegexOptions.Singleline);
}

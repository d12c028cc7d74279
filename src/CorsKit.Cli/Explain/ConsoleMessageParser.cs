using System.Text.RegularExpressions;
using CorsKit.Browser;

namespace CorsKit.Cli.Explain;

/// <summary>
/// Recognises Chromium's and Firefox's CORS console messages. Chromium's patterns are generated from the engine's own
/// message builder (<see cref="ChromiumMessages"/>), so <c>explain</c> and <c>check</c> share one text of each message.
/// </summary>
internal static partial class ConsoleMessageParser
{
    private const string Placeholder = "\u0001VALUE\u0001";

    private static readonly (CorsFailure Failure, bool OnPreflight, Regex Pattern)[] ChromiumReasons = BuildChromiumReasons();

    private static readonly (CorsFailure Failure, bool OnPreflight, Regex Pattern)[] FirefoxReasons =
    [
        (CorsFailure.MissingAllowOrigin, false, Q(@"CORS header [‘']Access-Control-Allow-Origin[’'] missing")),
        (CorsFailure.MultipleAllowOriginValues, false, Q(@"Multiple CORS header [‘']Access-Control-Allow-Origin[’'] not allowed")),
        (CorsFailure.AllowOriginMismatch, false, Q(@"CORS header [‘']Access-Control-Allow-Origin[’'] does not match [‘'](?<value>.*)[’']")),
        (CorsFailure.WildcardOriginWithCredentials, false, Q(@"Credential is not supported if the CORS header [‘']Access-Control-Allow-Origin[’'] is [‘']\*[’']")),
        (CorsFailure.InvalidAllowCredentials, false, Q(@"expected [‘']true[’'] in CORS header [‘']Access-Control-Allow-Credentials[’']")),
        (CorsFailure.PreflightInvalidStatus, true, Q(@"CORS preflight response did not succeed")),
        (CorsFailure.PreflightRedirect, true, Q(@"CORS request external redirect not allowed")),
        (CorsFailure.InvalidAllowMethodsPreflightResponse, true, Q(@"invalid token [‘'](?<value>.*)[’'] in CORS header [‘']Access-Control-Allow-Methods[’']")),
        (CorsFailure.InvalidAllowHeadersPreflightResponse, true, Q(@"invalid token [‘'](?<value>.*)[’'] in CORS header [‘']Access-Control-Allow-Headers[’']")),
        (CorsFailure.MethodDisallowedByPreflightResponse, true, Q(@"Did not find method in CORS header [‘']Access-Control-Allow-Methods[’']")),
        (CorsFailure.HeaderDisallowedByPreflightResponse, true, Q(@"(?:header [‘'](?<value>[^’']*)[’'] is not allowed according to header [‘']Access-Control-Allow-Headers[’'] from CORS preflight response|missing token [‘'](?<value>[^’']*)[’'] in CORS header [‘']Access-Control-Allow-Headers[’'] from CORS preflight channel)")),
    ];

    public static ParsedMessage? Parse(string message)
    {
        var text = message.Trim();
        var chromium = ChromiumPrefix().Match(text);
        if (chromium.Success)
        {
            var rest = chromium.Groups["rest"].Value;
            foreach (var (failure, onPreflight, pattern) in ChromiumReasons)
            {
                var match = pattern.Match(rest);
                if (match.Success)
                {
                    return new ParsedMessage("Chromium", failure, onPreflight, chromium.Groups["url"].Value, chromium.Groups["origin"].Value, Value(match));
                }
            }

            return null;
        }

        var firefox = FirefoxPrefix().Match(text);
        if (firefox.Success)
        {
            var reason = firefox.Groups["reason"].Value;
            if (reason.StartsWith("CORS request did not succeed", StringComparison.Ordinal))
            {
                return new ParsedMessage("Firefox", CorsFailure.None, false, firefox.Groups["url"].Value, null, null, NetworkError: true);
            }

            foreach (var (failure, onPreflight, pattern) in FirefoxReasons)
            {
                var match = pattern.Match(reason);
                if (match.Success)
                {
                    return new ParsedMessage("Firefox", failure, onPreflight, firefox.Groups["url"].Value, null, Value(match));
                }
            }
        }

        return null;
    }

    private static (CorsFailure, bool, Regex)[] BuildChromiumReasons()
    {
        var list = new List<(CorsFailure, bool, Regex)>();
        foreach (var failure in Enum.GetValues<CorsFailure>().Where(f => f != CorsFailure.None))
        {
            foreach (var onPreflight in new[] { true, false })
            {
                var variants = new[] { RequestInitiator.Fetch, RequestInitiator.XmlHttpRequest }
                    .Select(i => ChromiumMessages.Reason(new CorsCheckResult(failure, Placeholder, onPreflight), i))
                    .Distinct(StringComparer.Ordinal)
                    .Select(text => Regex.Escape(text).Replace(Regex.Escape(Placeholder), "(?<value>.*?)", StringComparison.Ordinal));
                list.Add((failure, onPreflight, new Regex("^(?:" + string.Join("|", variants) + ")$", RegexOptions.CultureInvariant)));
            }
        }

        // Preflight variants first: they are longer and would otherwise be shadowed.
        return [.. list.OrderByDescending(entry => entry.Item2)];
    }

    private static string? Value(Match match) => match.Groups["value"].Success && match.Groups["value"].Value.Length > 0 ? match.Groups["value"].Value : null;

    private static Regex Q(string pattern) => new("^" + pattern + "$", RegexOptions.CultureInvariant);

    [GeneratedRegex(@"^Access to (?:fetch|XMLHttpRequest) at '(?<url>[^']*)' (?:\(redirected from '(?<from>[^']*)'\) )?from origin '(?<origin>[^']*)' has been blocked by CORS policy: (?<rest>.*)$", RegexOptions.Singleline)]
    private static partial Regex ChromiumPrefix();

    [GeneratedRegex(@"^Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at [‘']?(?<url>[^’'\s]*?)[’']?\. \(Reason: (?<reason>.*?)\)\.?(?: Status code: \d+\.)?$", RegexOptions.Singleline)]
    private static partial Regex FirefoxPrefix();
}

using CorsKit.Browser;
using CorsKit.Cli.Fixes;
using CorsKit.Cli.Http;

namespace CorsKit.Cli.Check;

/// <summary>
/// Sends what a browser would send for a cross-origin request (the preflight when the Fetch rules call for one, then the
/// request itself, following redirects as a browser does) and asks the engine's browser model what the browser makes of
/// the answers. The model decides; this class only carries requests and responses.
/// </summary>
internal static class CheckRunner
{
    private const int MaxRedirects = 20;

    public static async Task<CheckReport> RunAsync(CheckOptions options, ExchangeClient client, CancellationToken cancellationToken)
    {
        var request = new BrowserRequest(options.Url.AbsoluteUri, options.Origin)
        {
            Method = options.Method,
            Headers = options.Headers,
            Credentials = options.Credentials,
        };

        var exchanges = new List<HttpExchange>();
        var firstPlan = PreflightPlan.For(request);
        BrowserVerdict? verdict = null;
        var preflightSent = false;
        for (var hop = 0; hop <= MaxRedirects; hop++)
        {
            var plan = PreflightPlan.For(request);
            var url = new Uri(request.Url);
            BrowserResponse? preflight = null;
            if (plan.IsRequired)
            {
                preflightSent = true;
                var preflightExchange = await client.SendAsync("preflight", "OPTIONS", url, Pairs(plan.Headers), cancellationToken).ConfigureAwait(false);
                exchanges.Add(preflightExchange);
                preflight = ToResponse(preflightExchange);
                if (!PreflightCheck.Run(plan, preflight).Passed)
                {
                    verdict = BrowserModel.Evaluate(request, preflight, null);
                    break;
                }
            }

            var headers = new List<KeyValuePair<string, string>>();
            if (!plan.RequestHeaders.Any(h => string.Equals(h.Name, "accept", StringComparison.OrdinalIgnoreCase)))
            {
                headers.Add(new("Accept", "*/*")); // fetch()'s default
            }

            headers.AddRange(Pairs(plan.RequestHeaders));
            if (plan.IsCrossOrigin)
            {
                headers.Add(new("Origin", plan.Origin));
            }

            var actualExchange = await client.SendAsync(hop == 0 ? "actual" : "redirected", plan.Method, url, headers, cancellationToken).ConfigureAwait(false);
            exchanges.Add(actualExchange);
            verdict = BrowserModel.Evaluate(request, preflight, ToResponse(actualExchange));
            if (verdict.Outcome != BrowserOutcome.Redirected || verdict.NextRequest is null)
            {
                break;
            }

            request = verdict.NextRequest;
        }

        if (verdict is null || verdict.Outcome == BrowserOutcome.Redirected)
        {
            throw new NetworkException($"more than {MaxRedirects} redirects: the browser gives up with a network error");
        }

        var failure = verdict.Check.Passed ? null : verdict.Check;
        var last = exchanges[^1];
        return new CheckReport
        {
            Url = options.Url.AbsoluteUri,
            Origin = options.Origin,
            Method = firstPlan.Method,
            Credentials = options.Credentials,
            Allowed = verdict.IsAllowed,
            PreflightSent = preflightSent,
            PreflightReasons = firstPlan.Reasons,
            Exchanges = exchanges,
            FailedCheck = failure?.Failure.ToString(),
            FailedOnPreflight = failure?.OnPreflight ?? false,
            ChromiumMessage = verdict.ChromiumMessage,
            FirefoxConsole = verdict.FirefoxConsole,
            WebKitConsole = verdict.WebKitConsole,
            ExposedHeaders = verdict.ReadableHeaders,
            PreflightCache = verdict.PreflightCache,
            Warnings = verdict.Warnings,
            ServerError = last.Status >= 400 ? last : null,
            Fix = failure is null ? null : FixFor(failure, verdict.Preflight, last),
        };
    }

    /// <summary>What the server must change, from the failing check and what the request needs.</summary>
    internal static FixPlan FixFor(CorsCheckResult failure, PreflightPlan plan, HttpExchange last)
    {
        var credentials = plan.Credentials == CredentialsMode.Include;
        var methods = Safelist.IsCorsSafelistedMethod(plan.Method) ? [] : new[] { plan.Method };
        var notes = new List<string>();
        var value = failure.Value;
        var summary = failure.Failure switch
        {
            CorsFailure.MissingAllowOrigin when last.Status >= 400 =>
                $"The server failed with {last.Status} and sent no Access-Control-Allow-Origin on that error response: fix the {last.Status} (its body is shown above), and make error responses carry the CORS headers too.",
            CorsFailure.MissingAllowOrigin => $"Send Access-Control-Allow-Origin: {plan.Origin} (the server sent none{(failure.OnPreflight ? " on the preflight" : string.Empty)}).",
            CorsFailure.MultipleAllowOriginValues => $"Send exactly one Access-Control-Allow-Origin; it arrived as '{value}' — two layers (the handler and a middleware or proxy) both set it: remove one.",
            CorsFailure.InvalidAllowOrigin => $"Access-Control-Allow-Origin '{value}' is not an origin; send exactly {plan.Origin}.",
            CorsFailure.AllowOriginMismatch => $"Access-Control-Allow-Origin is '{value}' but the page's origin is {plan.Origin}; send exactly that (scheme, host and port; no trailing slash).",
            CorsFailure.WildcardOriginWithCredentials => $"With credentials the browser refuses '*': echo the allowed origin ({plan.Origin}) and add Vary: Origin.",
            CorsFailure.InvalidAllowCredentials => $"Send Access-Control-Allow-Credentials: true exactly (lower case); it was '{value}'.",
            CorsFailure.PreflightInvalidStatus => $"Answer the OPTIONS preflight with 204 (or any 2xx); it got {last.Status}. Usually the CORS middleware runs after authentication or routing rejected the OPTIONS request.",
            CorsFailure.PreflightRedirect => "Do not redirect the OPTIONS preflight (HTTP to HTTPS, a missing trailing slash, a login page): call the final URL, or let CORS answer before the redirect.",
            CorsFailure.InvalidAllowMethodsPreflightResponse => $"Access-Control-Allow-Methods must be a comma-separated list; it was '{value}'.",
            CorsFailure.InvalidAllowHeadersPreflightResponse => $"Access-Control-Allow-Headers must be a comma-separated list; it was '{value}'.",
            CorsFailure.MethodDisallowedByPreflightResponse => $"Add {value} to Access-Control-Allow-Methods (method names are case-sensitive).",
            CorsFailure.HeaderDisallowedByPreflightResponse => $"Add {value} to Access-Control-Allow-Headers.",
            _ => "Send the CORS headers below.",
        };

        var change = PolicyChange.FromReason(last.ResponseHeaders.FirstOrDefault(h => string.Equals(h.Key, PolicyChange.ReasonHeader, StringComparison.OrdinalIgnoreCase)).Value);
        if (change is not null)
        {
            summary = $"Policy '{change.Name}' does not allow {change.Kind} {change.Missing} (it allows {change.Allowed}): add it to that policy.";
        }

        if (failure.Failure == CorsFailure.MultipleAllowOriginValues)
        {
            notes.Add("Remove the Access-Control-Allow-Origin your handler or proxy adds by hand; let one CORS layer set it.");
        }

        if (failure.Failure == CorsFailure.MissingAllowOrigin && last.Status >= 400)
        {
            notes.Add("ASP.NET Core: with no exception handler Kestrel sends a bare 500 without CORS headers; CorsKit adds them to every response, errors included.");
        }

        return new FixPlan
        {
            Summary = summary,
            Origin = plan.Origin,
            Credentials = credentials,
            Methods = methods,
            Headers = plan.UnsafeHeaderNames,
            Notes = notes,
            Policy = change,
        };
    }

    private static List<KeyValuePair<string, string>> Pairs(IEnumerable<HeaderField> headers) => [.. headers.Select(h => new KeyValuePair<string, string>(h.Name, h.Value))];

    private static BrowserResponse ToResponse(HttpExchange exchange) =>
        new(exchange.Status, new ResponseHeaders(exchange.ResponseHeaders.Select(h => new HeaderField(h.Key, h.Value))));
}

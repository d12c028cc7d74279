using CorsKit.Browser;
using CorsKit.Browser.Fixes;
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
            WebKitMessage = verdict.WebKitMessage,
            WebKitConsole = verdict.WebKitConsole,
            ExposedHeaders = verdict.ReadableHeaders,
            PreflightCache = verdict.PreflightCache,
            Warnings = verdict.Warnings,
            ServerError = last.Status >= 400 ? last : null,
            Fix = failure is null ? null : FixPlan.For(failure, verdict.Preflight, ToResponse(last)),
        };
    }

    private static List<KeyValuePair<string, string>> Pairs(IEnumerable<HeaderField> headers) => [.. headers.Select(h => new KeyValuePair<string, string>(h.Name, h.Value))];

    private static BrowserResponse ToResponse(HttpExchange exchange) =>
        new(exchange.Status, new ResponseHeaders(exchange.ResponseHeaders.Select(h => new HeaderField(h.Key, h.Value))));
}

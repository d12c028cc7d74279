using CorsKit.Browser;
using CorsKit.Browser.Fixes;

namespace CorsKit.Demo.Playground;

/// <summary>Turns a request the page made, and the exchanges recorded for it, into the model's prediction.</summary>
public static class PlaygroundExplainer
{
    /// <summary>How long to wait for the exchanges of a run to complete on the server.</summary>
    public static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);

    /// <summary>Explains <paramref name="request"/>.</summary>
    /// <param name="request">What the page sent.</param>
    /// <param name="recorder">The recorded exchanges.</param>
    /// <param name="cancellationToken">Cancels the wait for exchanges.</param>
    public static async Task<ExplainResponse> ExplainAsync(ExplainRequest request, ExchangeRecorder recorder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(recorder);
        var exchanges = string.IsNullOrEmpty(request.Run) ? [] : await recorder.WaitForAsync(request.Run, Settle, cancellationToken).ConfigureAwait(false);
        var views = exchanges.Select(e => new ExchangeView(e.Method, e.Url, e.IsPreflight, e.Status, View(e.RequestHeaders), View(e.ResponseHeaders))).ToList();
        if (exchanges.Count == 0)
        {
            return new ExplainResponse(null, [], views, "the server received nothing for this run: the browser sent no request (or it went elsewhere)");
        }

        try
        {
            var browserRequest = new BrowserRequest(request.Url, request.Origin)
            {
                Method = request.Method,
                Headers = [.. (request.Headers ?? []).Select(h => new HeaderField(h.Name, h.Value))],
                Credentials = request.Credentials switch
                {
                    "include" => CredentialsMode.Include,
                    "omit" => CredentialsMode.Omit,
                    _ => CredentialsMode.SameOrigin,
                },
                Initiator = request.Initiator == "xhr" ? RequestInitiator.XmlHttpRequest : RequestInitiator.Fetch,
            };
            var prediction = Prediction.Replay(browserRequest, exchanges, new PreflightCache());
            return new ExplainResponse(View(prediction, exchanges[^1].Response), prediction.Disagreements, views, null);
        }
        catch (ArgumentException ex)
        {
            return new ExplainResponse(null, [], views, ex.Message);
        }
    }

    // last: the last response the browser got, the one the fix reads the status and X-CorsKit-Reason of (as corskit check does).
    private static PredictionView? View(Prediction prediction, BrowserResponse last)
    {
        if (prediction.Final is not { } final)
        {
            return null;
        }

        var hops = prediction.Hops.Select(hop => new HopView(
            Safelist.NormalizeMethod(hop.Request.Method),
            hop.Request.Url,
            hop.Verdict.Preflight.Origin,
            hop.PreflightFromCache ? "cached" : hop.Verdict.PreflightSent ? "sent" : "none",
            hop.Verdict.Preflight.Reasons,
            hop.Verdict.Outcome.ToString(),
            hop.Verdict.Check.Failure.ToString(),
            hop.Verdict.PreflightCache?.Chromium.TotalSeconds,
            hop.Verdict.PreflightCache?.WebKit.TotalSeconds)).ToList();
        return new PredictionView(
            final.IsAllowed,
            final.Outcome.ToString(),
            final.Check.Failure.ToString(),
            final.ChromiumMessage,
            final.FirefoxMessage,
            final.WebKitConsole,
            [.. prediction.Hops[0].Verdict.ChromiumConsole.Where(l => l != final.ChromiumMessage).Concat(final.ChromiumMessage is null ? [] : [final.ChromiumMessage])],
            final.ReadableHeaders,
            [.. prediction.Hops.SelectMany(h => h.Verdict.Warnings).Distinct(StringComparer.Ordinal)],
            hops,
            final.Check.Passed ? null : Fix(FixPlan.For(final.Check, final.Preflight, last)));
    }

    private static FixView Fix(FixPlan plan) => new(plan.Summary, plan.RequiredHeaders(), plan.Notes, FixSnippets.For(plan));

    private static PlaygroundHeader[] View(IReadOnlyList<HeaderField> headers) => [.. headers.Select(h => new PlaygroundHeader(h.Name, h.Value))];
}

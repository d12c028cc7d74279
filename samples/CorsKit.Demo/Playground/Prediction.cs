using CorsKit.Browser;

namespace CorsKit.Demo.Playground;

/// <summary>
/// The browser model run over the exchanges a real browser had with the server: for every hop (redirects followed) the
/// model's verdict, and every place where the model's plan and the wire disagree (a preflight sent or not, its headers,
/// requests sent or not).
/// </summary>
public sealed class Prediction
{
    // Fetch, section 4.4 "HTTP-redirect fetch": a redirect count above 20 is a network error.
    private const int MaxHops = 21;

    private Prediction(IReadOnlyList<PredictedHop> hops, IReadOnlyList<string> disagreements)
    {
        Hops = hops;
        Disagreements = disagreements;
    }

    /// <summary>Every hop, in order; the last one decides.</summary>
    public IReadOnlyList<PredictedHop> Hops { get; }

    /// <summary>The last hop's verdict: allowed (the script gets the response) or blocked; <see langword="null"/> when the model could not follow the browser at all.</summary>
    public BrowserVerdict? Final => Hops.Count == 0 ? null : Hops[^1].Verdict;

    /// <summary>Where the model's plan differs from what the browser sent; empty when they agree.</summary>
    public IReadOnlyList<string> Disagreements { get; }

    /// <summary>Runs the model over <paramref name="exchanges"/>, the requests a browser sent for <paramref name="request"/>, in order.</summary>
    /// <param name="request">The request as the script made it.</param>
    /// <param name="exchanges">What the server received and answered, in order of arrival.</param>
    /// <param name="cache">The preflight cache: pass one instance to successive requests of one page.</param>
    /// <exception cref="ArgumentException">The model refuses the request (a forbidden method, for one).</exception>
    public static Prediction Replay(BrowserRequest request, IReadOnlyList<RecordedExchange> exchanges, PreflightCache cache) =>
        ReplaySequence([request], exchanges, cache)[0];

    /// <summary>
    /// Runs the model over requests a script made one after the other (each awaited before the next), with the exchanges
    /// the browser had for all of them, in order; the preflight cache carries from one request to the next.
    /// </summary>
    /// <param name="requests">The requests, in the order the script made them.</param>
    /// <param name="exchanges">What the server received and answered, in order of arrival.</param>
    /// <param name="cache">The preflight cache.</param>
    public static IReadOnlyList<Prediction> ReplaySequence(IReadOnlyList<BrowserRequest> requests, IReadOnlyList<RecordedExchange> exchanges, PreflightCache cache)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(exchanges);
        ArgumentNullException.ThrowIfNull(cache);
        var wire = new Queue<RecordedExchange>(exchanges);
        var predictions = new List<Prediction>(requests.Count);
        for (var i = 0; i < requests.Count; i++)
        {
            var disagreements = new List<string>();
            var hops = ReplayOne(requests[i], wire, cache, disagreements);
            if (i == requests.Count - 1)
            {
                disagreements.AddRange(wire.Select(extra => $"the browser sent {extra.Method} {extra.Url}, which the model does not predict"));
            }

            predictions.Add(new Prediction(hops, disagreements));
        }

        return predictions;
    }

    private static List<PredictedHop> ReplayOne(BrowserRequest request, Queue<RecordedExchange> wire, PreflightCache cache, List<string> disagreements)
    {
        ArgumentNullException.ThrowIfNull(request);
        var hops = new List<PredictedHop>();
        var current = request;
        for (var hop = 0; hop < MaxHops; hop++)
        {
            var plan = PreflightPlan.For(current);
            RecordedExchange? preflight = null;
            BrowserResponse? preflightResponse = null;
            var fromCache = false;
            if (wire.TryPeek(out var next) && next.IsPreflight)
            {
                preflight = wire.Dequeue();
                preflightResponse = preflight.Response;
                if (!plan.IsRequired)
                {
                    disagreements.Add($"{Describe(current)}: the browser sent a preflight the model does not predict");
                }
                else if (cache.Find(plan, preflight.ReceivedAt) is not null)
                {
                    disagreements.Add($"{Describe(current)}: the model predicts a cached preflight covers it, but the browser sent a preflight");
                }

                ComparePreflight(plan, preflight, disagreements);
            }
            else if (plan.IsRequired)
            {
                var now = wire.TryPeek(out var actualNext) ? actualNext.ReceivedAt : DateTimeOffset.MaxValue;
                preflightResponse = cache.Find(plan, now);
                fromCache = preflightResponse is not null;
                if (!fromCache)
                {
                    disagreements.Add($"{Describe(current)}: the model predicts a preflight ({string.Join("; ", plan.Reasons)}), but the browser sent none");
                    break;
                }
            }

            RecordedExchange? actual = null;
            if (preflightResponse is null || PreflightCheck.Run(plan, preflightResponse).Passed)
            {
                if (!wire.TryPeek(out actual) || actual.IsPreflight)
                {
                    disagreements.Add($"{Describe(current)}: the model predicts the request is sent, but the browser did not send it");
                    break;
                }

                wire.Dequeue();
                CompareActual(plan, actual, disagreements);
            }

            var verdict = BrowserModel.Evaluate(current, preflightResponse, actual?.Response);
            if (preflight is not null && verdict.PreflightCache is { } lifetimes)
            {
                cache.Store(plan, preflight.Response, lifetimes, preflight.ReceivedAt);
            }

            hops.Add(new PredictedHop(current, verdict, fromCache, preflight, actual));
            if (verdict.Outcome != BrowserOutcome.Redirected || verdict.NextRequest is null)
            {
                break;
            }

            current = verdict.NextRequest;
        }

        if (hops.Count == 0)
        {
            disagreements.Add($"{Describe(request)}: the model could not follow what the browser sent");
        }

        return hops;
    }

    private static void ComparePreflight(PreflightPlan plan, RecordedExchange preflight, List<string> disagreements)
    {
        Compare("the preflight's Access-Control-Request-Method", plan.Method, preflight.RequestHeader("Access-Control-Request-Method"), disagreements);
        Compare("the preflight's Access-Control-Request-Headers", plan.AccessControlRequestHeaders, preflight.RequestHeader("Access-Control-Request-Headers"), disagreements);
        Compare("the preflight's Origin", plan.Origin, preflight.RequestHeader("Origin"), disagreements);
        Compare("the preflight's URL", new Uri(plan.Request.Url).AbsoluteUri, preflight.Url, disagreements);
        if (preflight.RequestHeader("Cookie") is not null)
        {
            disagreements.Add("the preflight carried cookies, which browsers never send on a preflight");
        }
    }

    private static void CompareActual(PreflightPlan plan, RecordedExchange actual, List<string> disagreements)
    {
        Compare("the request's method", plan.Method, actual.Method, disagreements);
        Compare("the request's URL", new Uri(plan.Request.Url).AbsoluteUri, actual.Url, disagreements);
        if (plan.IsCrossOrigin)
        {
            Compare("the request's Origin", plan.Origin, actual.RequestHeader("Origin"), disagreements);
        }
    }

    private static void Compare(string what, string? predicted, string? sent, List<string> disagreements)
    {
        if (!string.Equals(predicted, sent, StringComparison.Ordinal))
        {
            disagreements.Add($"{what}: the model predicts {Quote(predicted)}, the browser sent {Quote(sent)}");
        }
    }

    private static string Quote(string? value) => value is null ? "none" : $"'{value}'";

    private static string Describe(BrowserRequest request) => $"{Safelist.NormalizeMethod(request.Method)} {request.Url}";
}

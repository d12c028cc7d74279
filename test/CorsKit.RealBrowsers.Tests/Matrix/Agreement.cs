using System.Globalization;
using System.Text;
using CorsKit.Demo.Playground;
using CorsKit.RealBrowsers.Tests.Infrastructure;

namespace CorsKit.RealBrowsers.Tests.Matrix;

/// <summary>
/// The three-way check of a scenario in one engine: the intent (the table), what the engine did (script's result and
/// its console) and the browser model's prediction (over the exchanges the server recorded) must tell the same story.
/// </summary>
public static class Agreement
{
    /// <summary>Every way the three disagree; empty when they agree.</summary>
    /// <param name="run">The scenario's run.</param>
    public static IReadOnlyList<string> Check(ScenarioRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var problems = new List<string>();
        var engine = run.Engine;
        var intent = run.Scenario.ExpectIn(engine);
        if (run.Results.Count != run.Scenario.Times)
        {
            problems.Add($"the page reported {run.Results.Count} results for {run.Scenario.Times} requests");
        }

        for (var i = 0; i < run.Results.Count; i++)
        {
            var at = run.Results.Count > 1 ? $"request {i + 1}: " : string.Empty;
            var browser = run.Results[i];
            var prediction = run.Predictions[i];
            problems.AddRange(prediction.Disagreements.Select(d => $"{at}model vs wire: {d}"));
            if (prediction.Final is not { } model)
            {
                problems.Add($"{at}model: no verdict");
                continue;
            }

            // What the policy means against what the engine did and what the model predicts.
            if (browser.Ok != intent.Allowed)
            {
                problems.Add($"{at}intent vs {engine}: meant to be {Allowed(intent.Allowed)}, but {engine} {Did(browser)}");
            }

            if (model.IsAllowed != browser.Ok)
            {
                problems.Add($"{at}model vs {engine}: the model predicts {model.Outcome} ({model.Check.Failure}), but {engine} {Did(browser)}");
            }

            if (!intent.Allowed && model.Check.Failure != intent.Failure)
            {
                problems.Add($"{at}intent vs model: meant to fail with {intent.Failure}, the model says {model.Check.Failure}");
            }

            if (browser.Ok)
            {
                CheckResponse(at, engine, intent, browser, prediction, model, problems);
            }
            else
            {
                Same(problems, $"{at}{engine}'s error", ErrorText(engine, run.Scenario.Initiator), browser.Error);
            }

            // The console, word for word.
            var expectedConsole = ExpectedConsole(engine, prediction, model);
            var console = run.Console[i];
            if (!expectedConsole.SequenceEqual(console) && !(engine == BrowserEngine.Chromium && NamesAnotherDisallowedHeader(model, expectedConsole, console)))
            {
                problems.Add($"{at}console: {engine} said{Lines(console)}\n  the model predicts{Lines(expectedConsole)}");
            }
        }

        var sent = run.Exchanges.Count(e => e.IsPreflight);
        var predicted = run.Predictions.Sum(p => p.Hops.Count(h => h.Verdict.PreflightSent && !h.PreflightFromCache));
        if (sent != intent.Preflights)
        {
            problems.Add($"preflights: meant {intent.Preflights}, {engine} sent {sent}");
        }

        if (predicted != sent)
        {
            problems.Add($"preflights: the model predicts {predicted}, {engine} sent {sent}");
        }

        return problems;
    }

    /// <summary>A report of the run for a failing assertion: the problems, then every exchange, result and prediction.</summary>
    /// <param name="run">The run.</param>
    /// <param name="problems">What <see cref="Check"/> found.</param>
    public static string Describe(ScenarioRun run, IReadOnlyList<string> problems)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(problems);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{run.Engine}: {run.Scenario.Name}: {run.Scenario.Method} {run.Url} from {run.Origin}");
        foreach (var problem in problems)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- {problem}");
        }

        text.AppendLine("wire:");
        foreach (var exchange in run.Exchanges)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {exchange.Method} {exchange.Url} -> {exchange.Status}");
            foreach (var header in exchange.RequestHeaders.Where(h => h.Name is "Origin" or "Cookie" || h.Name.StartsWith("Access-Control", StringComparison.Ordinal)))
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"    > {header.Name}: {header.Value}");
            }

            foreach (var header in exchange.ResponseHeaders)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"    < {header.Name}: {header.Value}");
            }
        }

        foreach (var result in run.Results)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{run.Engine}: {Did(result)}; headers [{string.Join(", ", result.HeaderNames)}]; body {result.Body}");
        }

        foreach (var line in run.Console.SelectMany(c => c))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"console: {line}");
        }

        foreach (var hop in run.Predictions.SelectMany(p => p.Hops))
        {
            var verdict = hop.Verdict;
            text.AppendLine(CultureInfo.InvariantCulture, $"model: {verdict.Outcome} {verdict.Check.Failure}; preflight {(hop.PreflightFromCache ? "cached" : verdict.PreflightSent ? "sent" : "none")}; readable [{string.Join(", ", verdict.ReadableHeaders)}]");
            foreach (var line in ModelConsole(run.Engine, verdict))
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"model says: {line}");
            }
        }

        return text.ToString();
    }

    private static void CheckResponse(string at, BrowserEngine engine, Intent intent, BrowserResult browser, Prediction prediction, BrowserVerdict model, List<string> problems)
    {
        if (intent.Allowed)
        {
            Same(problems, $"{at}intent vs {engine}: status", intent.Status, browser.Status);
            Same(problems, $"{at}intent vs {engine}: redirected", intent.Redirected, browser.Redirected);
            if (intent.BodyContains is { } body && browser.Body?.Contains(body, StringComparison.Ordinal) != true)
            {
                problems.Add($"{at}intent vs {engine}: the body should contain {body}, script read {browser.Body}");
            }

            foreach (var (name, value) in intent.Reads)
            {
                Same(problems, $"{at}intent vs {engine}: script reads {name}", value, browser.Reads.GetValueOrDefault(name));
            }
        }

        // The model's readable headers against what script sees; its hop count against the engine's redirect flag.
        if (!model.ReadableHeaders.SequenceEqual(browser.HeaderNames))
        {
            problems.Add($"{at}model vs {engine}: readable headers: model [{string.Join(", ", model.ReadableHeaders)}], {engine} [{string.Join(", ", browser.HeaderNames)}]");
        }

        Same(problems, $"{at}model vs {engine}: redirected", prediction.Hops.Count > 1, browser.Redirected);
        Same(problems, $"{at}wire vs {engine}: status", prediction.Hops[^1].Actual?.Status, browser.Status);
    }

    // What script sees of a failed request: each engine's TypeError for fetch(); XHR's error event everywhere.
    private static string ErrorText(BrowserEngine engine, RequestInitiator initiator) => (engine, initiator) switch
    {
        (_, RequestInitiator.XmlHttpRequest) => "XMLHttpRequest: error event",
        (BrowserEngine.Firefox, _) => "TypeError: NetworkError when attempting to fetch resource.",
        (BrowserEngine.WebKit, _) => "TypeError: Load failed",
        _ => "TypeError: Failed to fetch",
    };

    // Chromium: XHR's refused headers (the first hop's), then the blocked message. Firefox and WebKit: the final hop's lines.
    private static List<string> ExpectedConsole(BrowserEngine engine, Prediction prediction, BrowserVerdict model) => engine switch
    {
        BrowserEngine.Chromium => prediction.Hops[0].Verdict.ChromiumConsole
            .Where(line => !line.Contains(MatrixFixture.BlockedMarker, StringComparison.Ordinal))
            .Concat(model.ChromiumMessage is null ? [] : [model.ChromiumMessage])
            .ToList(),
        _ => [.. ModelConsole(engine, model)],
    };

    private static IReadOnlyList<string> ModelConsole(BrowserEngine engine, BrowserVerdict verdict) => engine switch
    {
        BrowserEngine.Firefox => verdict.FirefoxConsole,
        BrowserEngine.WebKit => verdict.WebKitConsole,
        _ => verdict.ChromiumConsole,
    };

    // Several headers the preflight does not allow: Chromium names one of them, picked in the hash order of Blink's header
    // map, which the model does not reproduce (it says so in a warning). Any one of them, in the same sentence, agrees.
    private static bool NamesAnotherDisallowedHeader(BrowserVerdict model, List<string> expected, IReadOnlyList<string> actual)
    {
        if (model.PreflightResult is not { DisallowedHeaders.Count: > 1 } preflight || model.ChromiumMessage is not { } message
            || !model.Warnings.Any(w => w.Contains("Chromium names one of them", StringComparison.Ordinal)))
        {
            return false;
        }

        var predicted = $"Request header field {preflight.DisallowedHeaders[0]} is not allowed";
        return preflight.DisallowedHeaders.Any(name =>
            expected.Select(line => line == message ? line.Replace(predicted, $"Request header field {name} is not allowed", StringComparison.Ordinal) : line).SequenceEqual(actual));
    }

    private static void Same<T>(List<string> problems, string what, T expected, T actual)
    {
        if (!EqualityComparer<T>.Default.Equals(expected, actual))
        {
            problems.Add($"{what}: expected {expected?.ToString() ?? "null"}, got {actual?.ToString() ?? "null"}");
        }
    }

    private static string Allowed(bool allowed) => allowed ? "allowed" : "blocked";

    private static string Did(BrowserResult result) => result.Ok ? $"gave script a {result.Status}" : $"threw {result.Error}";

    private static string Lines(IEnumerable<string> lines)
    {
        var list = lines.ToList();
        return list.Count == 0 ? " nothing" : string.Concat(list.Select(l => $"\n    {l}"));
    }
}

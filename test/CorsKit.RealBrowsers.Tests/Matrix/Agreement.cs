using System.Globalization;
using System.Text;

namespace CorsKit.RealBrowsers.Tests.Matrix;

/// <summary>
/// The three-way check of a scenario: the intent (the table), what Chromium did (script's result and its console) and the
/// browser model's prediction (over the exchanges the server recorded) must tell the same story.
/// </summary>
public static class Agreement
{
    /// <summary>Every way the three disagree; empty when they agree.</summary>
    /// <param name="run">The scenario's run.</param>
    public static IReadOnlyList<string> Check(ScenarioRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var problems = new List<string>();
        var intent = run.Scenario.Expect;
        for (var i = 0; i < run.Results.Count; i++)
        {
            var at = run.Results.Count > 1 ? $"request {i + 1}: " : string.Empty;
            var chromium = run.Results[i];
            var prediction = run.Predictions[i];
            problems.AddRange(prediction.Disagreements.Select(d => $"{at}model vs wire: {d}"));
            if (prediction.Final is not { } model)
            {
                problems.Add($"{at}model: no verdict");
                continue;
            }

            // What the policy means against what Chromium did and what the model predicts.
            if (chromium.Ok != intent.Allowed)
            {
                problems.Add($"{at}intent vs Chromium: meant to be {Allowed(intent.Allowed)}, but Chromium {Did(chromium)}");
            }

            if (model.IsAllowed != chromium.Ok)
            {
                problems.Add($"{at}model vs Chromium: the model predicts {model.Outcome} ({model.Check.Failure}), but Chromium {Did(chromium)}");
            }

            if (!intent.Allowed && model.Check.Failure != intent.Failure)
            {
                problems.Add($"{at}intent vs model: meant to fail with {intent.Failure}, the model says {model.Check.Failure}");
            }

            if (chromium.Ok)
            {
                CheckResponse(at, intent, chromium, prediction, model, problems);
            }
            else
            {
                var expected = run.Scenario.Initiator == RequestInitiator.Fetch ? "TypeError: Failed to fetch" : "XMLHttpRequest: error event";
                Same(problems, $"{at}Chromium's error", expected, chromium.Error);
            }

            // The console: XHR's refused headers (first hop), then the blocked message, word for word.
            var expectedConsole = prediction.Hops[0].Verdict.ChromiumConsole
                .Where(line => !line.Contains(MatrixFixture.BlockedMarker, StringComparison.Ordinal))
                .Concat(model.ChromiumMessage is null ? [] : [model.ChromiumMessage])
                .ToList();
            if (!expectedConsole.SequenceEqual(run.Console[i]) && !NamesAnotherDisallowedHeader(model, expectedConsole, run.Console[i]))
            {
                problems.Add($"{at}console: Chromium said{Lines(run.Console[i])}\n  the model predicts{Lines(expectedConsole)}");
            }
        }

        var sent = run.Exchanges.Count(e => e.IsPreflight);
        var predicted = run.Predictions.Sum(p => p.Hops.Count(h => h.Verdict.PreflightSent && !h.PreflightFromCache));
        if (sent != intent.Preflights)
        {
            problems.Add($"preflights: meant {intent.Preflights}, Chromium sent {sent}");
        }

        if (predicted != sent)
        {
            problems.Add($"preflights: the model predicts {predicted}, Chromium sent {sent}");
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
        text.AppendLine(CultureInfo.InvariantCulture, $"{run.Scenario.Name}: {run.Scenario.Method} {run.Url} from {run.Origin}");
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
            text.AppendLine(CultureInfo.InvariantCulture, $"Chromium: {Did(result)}; headers [{string.Join(", ", result.HeaderNames)}]; body {result.Body}");
        }

        foreach (var line in run.Console.SelectMany(c => c))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"console: {line}");
        }

        foreach (var hop in run.Predictions.SelectMany(p => p.Hops))
        {
            var verdict = hop.Verdict;
            text.AppendLine(CultureInfo.InvariantCulture, $"model: {verdict.Outcome} {verdict.Check.Failure}; preflight {(hop.PreflightFromCache ? "cached" : verdict.PreflightSent ? "sent" : "none")}; readable [{string.Join(", ", verdict.ReadableHeaders)}]");
            if (verdict.ChromiumMessage is not null)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"model says: {verdict.ChromiumMessage}");
            }
        }

        return text.ToString();
    }

    private static void CheckResponse(string at, Intent intent, BrowserResult chromium, Demo.Playground.Prediction prediction, BrowserVerdict model, List<string> problems)
    {
        if (intent.Allowed)
        {
            Same(problems, $"{at}intent vs Chromium: status", intent.Status, chromium.Status);
            Same(problems, $"{at}intent vs Chromium: redirected", intent.Redirected, chromium.Redirected);
            if (intent.BodyContains is { } body && chromium.Body?.Contains(body, StringComparison.Ordinal) != true)
            {
                problems.Add($"{at}intent vs Chromium: the body should contain {body}, script read {chromium.Body}");
            }

            foreach (var (name, value) in intent.Reads)
            {
                Same(problems, $"{at}intent vs Chromium: script reads {name}", value, chromium.Reads.GetValueOrDefault(name));
            }
        }

        // The model's readable headers against what script sees; its hop count against Chromium's redirect flag.
        if (!model.ReadableHeaders.SequenceEqual(chromium.HeaderNames))
        {
            problems.Add($"{at}model vs Chromium: readable headers: model [{string.Join(", ", model.ReadableHeaders)}], Chromium [{string.Join(", ", chromium.HeaderNames)}]");
        }

        Same(problems, $"{at}model vs Chromium: redirected", prediction.Hops.Count > 1, chromium.Redirected);
        Same(problems, $"{at}wire vs Chromium: status", prediction.Hops[^1].Actual?.Status, chromium.Status);
    }

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

using System.Text.Json;

namespace CorsKit.RealBrowsers.Tests.Matrix;

/// <summary>
/// The page that runs a batch of scenarios by itself, so every engine is driven the same way, with no automation at
/// all: it sends each scenario's requests in turn (<see cref="PageScript.Send"/>), writes a marker to the console before
/// each request (<c>corskit-run &lt;id&gt; &lt;n&gt;</c>, so the console lines that follow belong to it), posts what
/// script got to the page server, runs the sandboxed frame's scenarios, then moves to the next page origin.
/// </summary>
internal static class RunnerPage
{
    /// <summary>The prefix of the console markers.</summary>
    public const string Marker = "corskit-run ";

    /// <summary>The marker the last page writes when the batch is over.</summary>
    public const string EndMarker = "corskit-run end";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // Results go to the page server as a text/plain no-cors POST: allowed from any page, the sandboxed one included,
    // and silent in every console.
    private const string Runner = """
        const send = __SEND__;
        const post = (path, data) => fetch(plan.collector + path, { method: 'POST', mode: 'no-cors', body: JSON.stringify(data) });
        const runAll = async scenarios => {
          for (const s of scenarios) {
            const results = [];
            for (let i = 0; i < s.times; i++) {
              console.log(`corskit-run ${s.id} ${i}`);
              results.push(await send(s));
            }
            await post('/result', { id: s.id, results });
          }
        };
        """;

    /// <summary>The page for one page origin: its scenarios, then the sandboxed frame's (if any), then <paramref name="next"/>.</summary>
    /// <param name="collector">Where results go: <c>http://127.0.0.1:P/matrix/&lt;batch&gt;</c>.</param>
    /// <param name="scenarios">The scenario arguments of this origin, each with an <c>id</c> and <c>times</c>.</param>
    /// <param name="sandboxed">The sandboxed frame's scenario arguments.</param>
    /// <param name="next">The next origin's page, or <see langword="null"/> on the last one.</param>
    public static string Html(string collector, IReadOnlyList<object> scenarios, IReadOnlyList<object> sandboxed, string? next)
    {
        var frame = sandboxed.Count == 0
            ? null
            : Document(collector, $"{Script()}\nrunAll({Serialize(sandboxed)}).then(() => parent.postMessage('corskit-sandboxed-done', '*'));");
        var main = $$"""
            {{Script()}}
            const next = {{Serialize(next)}};
            const sandboxed = {{Serialize(frame)}};
            (async () => {
              await runAll({{Serialize(scenarios)}});
              if (sandboxed !== null) {
                await new Promise(resolve => {
                  addEventListener('message', e => { if (e.data === 'corskit-sandboxed-done') resolve(); });
                  const frame = document.createElement('iframe');
                  frame.sandbox = 'allow-scripts';
                  frame.srcdoc = sandboxed;
                  document.body.append(frame);
                });
              }
              if (next !== null) {
                location.href = next;
              } else {
                console.log('{{EndMarker}}');
                await post('/done', {});
              }
            })();
            """;
        return Document(collector, main);
    }

    private static string Document(string collector, string script) =>
        $"""<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>CorsKit browser matrix</title><body><script>const plan = {Serialize(new { collector })};{script}</script></body>""";

    private static string Script() => Runner.Replace("__SEND__", PageScript.Send, StringComparison.Ordinal);

    // System.Text.Json escapes <, > and & by default, so no value can close the script element.
    private static string Serialize(object? value) => JsonSerializer.Serialize(value, Json);
}

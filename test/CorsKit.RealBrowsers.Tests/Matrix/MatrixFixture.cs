using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using CorsKit.RealBrowsers.Tests.Infrastructure;
using CorsKit.Demo.Playground;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CorsKit.RealBrowsers.Tests.Matrix;

/// <summary>
/// The matrix's world, built once per test class: a page server on two ports of 127.0.0.1 (the runner pages, and the
/// collector their results go to), the API through CorsKit on a third, the deliberately broken server on a fourth. Each
/// engine runs the whole table once, in one browser (<see cref="RunnerPage"/>), the first time one of its scenarios is
/// asked for; the servers record what went over the wire.
/// </summary>
public sealed partial class MatrixFixture : IAsyncLifetime
{
    /// <summary>A console line that reports a blocked request.</summary>
    public const string BlockedMarker = "has been blocked by CORS policy";

    /// <summary>A console line XHR writes for a forbidden header.</summary>
    public const string RefusedMarker = "Refused to set unsafe header";

    // The cookie the main page sets for the API's /creds path (a cookie is per host, not per port).
    private static readonly string CookieHeader = $"{MatrixApi.Cookie}; Path=/creds; SameSite=Lax";

    // Generous: the whole table in one browser on a loaded two-core machine.
    private static readonly TimeSpan BatchTimeout = TimeSpan.FromMinutes(5);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly PageOrigin[] TopLevelOrder = [PageOrigin.Main, PageOrigin.OtherPort, PageOrigin.Localhost, PageOrigin.Subdomain, PageOrigin.DeepSubdomain];

    private readonly ConcurrentDictionary<string, Batch> _batches = new();
    private readonly Dictionary<BrowserEngine, Task<IReadOnlyDictionary<string, ScenarioRun>>> _runs = [];
    private WebApplication? _pages;
    private WebApplication? _api;
    private WebApplication? _raw;

    /// <summary>The main page origin (allowed by the policies): <c>http://127.0.0.1:P</c>.</summary>
    public Uri MainPage { get; private set; } = null!;

    /// <summary>The same host on another port.</summary>
    public Uri OtherPortPage { get; private set; } = null!;

    /// <summary>The API: <c>http://127.0.0.1:A</c>.</summary>
    public Uri Api { get; private set; } = null!;

    /// <summary>The deliberately broken server, without CorsKit: <c>http://127.0.0.1:R</c>, for <c>/raw</c>.</summary>
    public Uri Raw { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (Enum.GetValues<BrowserEngine>().All(e => RealEngine.MissingReason(e) is not null))
        {
            return;
        }

        _pages = await LoopbackServer.StartAsync(MapPages, builder => builder.WebHost.UseUrls("http://127.0.0.1:0", "http://127.0.0.1:0"));
        var pageUrls = _pages.Urls.Select(u => new Uri(u)).ToList();
        MainPage = pageUrls[0];
        OtherPortPage = pageUrls[1];

        _api = await LoopbackServer.StartAsync(
            app =>
            {
                app.UseCorsKit();
                MatrixApi.Map(app);
            },
            builder =>
            {
                builder.Services.AddExchangeRecording();
                builder.Services.AddCorsKit(options => MatrixApi.AddPolicies(options, MainPage));
            });
        Api = LoopbackServer.Address(_api);
        _raw = await LoopbackServer.StartAsync(MatrixApi.MapRaw, builder => builder.Services.AddExchangeRecording());
        Raw = LoopbackServer.Address(_raw);
    }

    /// <summary>
    /// <paramref name="scenario"/> as <paramref name="engine"/> ran it (the whole table runs on the first call per
    /// engine), with the browser model replayed over what the server recorded.
    /// </summary>
    /// <param name="engine">The engine.</param>
    /// <param name="scenario">The scenario.</param>
    public async Task<ScenarioRun> RunAsync(BrowserEngine engine, Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        Task<IReadOnlyDictionary<string, ScenarioRun>> runs;
        lock (_runs)
        {
            if (!_runs.TryGetValue(engine, out runs!))
            {
                runs = RunTableAsync(engine);
                _runs[engine] = runs;
            }
        }

        return (await runs)[scenario.Name];
    }

    public async Task DisposeAsync()
    {
        foreach (var app in new[] { _api, _raw, _pages })
        {
            if (app is not null)
            {
                await app.StopAsync();
                await app.DisposeAsync();
            }
        }
    }

    private async Task<IReadOnlyDictionary<string, ScenarioRun>> RunTableAsync(BrowserEngine engine)
    {
        var batch = new Batch(engine.ToString().ToLowerInvariant());
        _batches[batch.Id] = batch;
        var planned = ScenarioTable.All.Select((scenario, i) =>
        {
            var id = $"{batch.Id}-{i}";
            return new Planned(scenario, id, Resolve(scenario.Path, id), OriginOf(scenario.Page));
        }).ToList();

        var origins = TopLevelOrder.Where(o => o == PageOrigin.Main || planned.Any(p => p.Scenario.Page == o)).ToList();
        for (var i = 0; i < origins.Count; i++)
        {
            var here = origins[i];
            batch.Pages[here] = RunnerPage.Html(
                $"{PageUrl(here)}/matrix/{batch.Id}",
                [.. planned.Where(p => p.Scenario.Page == here).Select(Argument)],
                here == PageOrigin.Main ? [.. planned.Where(p => p.Scenario.Page == PageOrigin.Sandboxed).Select(Argument)] : [],
                i + 1 < origins.Count ? $"{PageUrl(origins[i + 1])}/matrix/{batch.Id}/{origins[i + 1]}" : null);
        }

        IReadOnlyList<string> console;
        await using (var session = await RealEngine.LaunchAsync(engine))
        {
            await session.OpenAsync(new Uri($"{PageUrl(PageOrigin.Main)}/matrix/{batch.Id}/{PageOrigin.Main}"));
            try
            {
                await batch.Done.Task.WaitAsync(BatchTimeout);
            }
            catch (TimeoutException)
            {
                var tail = session.Console.Since(0).TakeLast(20);
                throw new TimeoutException(
                    $"{engine} did not finish the table within {BatchTimeout}: {batch.Results.Count} of {planned.Count} scenarios reported; the console's last lines:\n{string.Join('\n', tail)}");
            }

            // The end marker follows the lines the pages caused, but Chromium's and Firefox's CORS lines can trail it (they
            // come from the network side). Each names its request's URL, so wait until every failed request has one.
            await session.Console.WaitForAsync(0, line => line == RunnerPage.EndMarker, TimeSpan.FromSeconds(10));
            var failed = batch.Results.Where(r => r.Value.Any(result => !result.Ok)).Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
            await session.Console.WaitUntilAsync(
                0,
                lines => failed.IsSubsetOf(lines.Select(l => RunIdIn().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value)),
                TimeSpan.FromSeconds(10));
            console = session.Console.Since(0);
        }

        var lines = Attribute(console, engine);
        var runs = new Dictionary<string, ScenarioRun>(StringComparer.Ordinal);
        foreach (var p in planned)
        {
            var results = batch.Results.GetValueOrDefault(p.Id) ?? [];
            var recorder = (IsRaw(p.Scenario.Path) ? _raw! : _api!).Services.GetRequiredService<ExchangeRecorder>();
            var exchanges = await recorder.WaitForAsync(p.Id, TimeSpan.FromSeconds(5));
            var request = p.Scenario.ToBrowserRequest(p.Url, p.Origin);
            var predictions = Prediction.ReplaySequence([.. Enumerable.Repeat(request, p.Scenario.Times)], exchanges, CacheOf(engine));
            IReadOnlyList<IReadOnlyList<string>> perRequest = [.. Enumerable.Range(0, p.Scenario.Times).Select(n => (IReadOnlyList<string>)(lines.GetValueOrDefault((p.Id, n)) ?? []))];
            runs[p.Scenario.Name] = new ScenarioRun(engine, p.Scenario, p.Url, p.Origin, results, perRequest, exchanges, predictions);
        }

        _batches.TryRemove(batch.Id, out _);
        return runs;
    }

    /// <summary>
    /// Gives each console line to the request whose marker came last before it; a line that names another run's URL
    /// (a line that trailed) goes to that run's last request. Only the engine's CORS lines are kept.
    /// </summary>
    private static Dictionary<(string Id, int Request), List<string>> Attribute(IReadOnlyList<string> console, BrowserEngine engine)
    {
        var lines = new Dictionary<(string, int), List<string>>();
        (string Id, int Request)? current = null;
        foreach (var line in console)
        {
            if (line.StartsWith(RunnerPage.Marker, StringComparison.Ordinal))
            {
                var parts = line[RunnerPage.Marker.Length..].Split(' ');
                current = parts.Length == 2 ? (parts[0], int.Parse(parts[1], CultureInfo.InvariantCulture)) : null;
                if (current is { } started)
                {
                    lines[started] = [];
                }

                continue;
            }

            if (!IsCorsLine(engine, line))
            {
                continue;
            }

            var owner = current;
            if (RunIdIn().Match(line) is { Success: true } named && named.Groups[1].Value != current?.Id)
            {
                var last = lines.Keys.Where(k => k.Item1 == named.Groups[1].Value).OrderBy(k => k.Item2).LastOrDefault();
                owner = last.Item1 is null ? null : last;
            }

            if (owner is { } key)
            {
                lines[key].Add(line);
            }
        }

        return lines;
    }

    // Chromium's console also carries its own network lines (net::ERR_FAILED); the model speaks for the CORS ones. Firefox's
    // and WebKit's consoles carry only what the engines report as errors (the sessions read nothing else).
    private static bool IsCorsLine(BrowserEngine engine, string line) => engine switch
    {
        BrowserEngine.Chromium => line.Contains(BlockedMarker, StringComparison.Ordinal) || line.StartsWith(RefusedMarker, StringComparison.Ordinal),
        _ => true,
    };

    private static PreflightCache CacheOf(BrowserEngine engine) => engine switch
    {
        BrowserEngine.Firefox => new PreflightCache(d => d.Firefox),
        BrowserEngine.WebKit => new PreflightCache(d => d.WebKit),
        _ => new PreflightCache(d => d.Chromium),
    };

    private void MapPages(WebApplication app)
    {
        app.MapGet("/matrix/{batch}/{page}", (HttpContext context, string batch, PageOrigin page) =>
        {
            if (!_batches.TryGetValue(batch, out var running) || !running.Pages.TryGetValue(page, out var html))
            {
                return Results.NotFound();
            }

            if (page == PageOrigin.Main)
            {
                context.Response.Headers.SetCookie = CookieHeader;
            }

            return Results.Content(html, "text/html; charset=utf-8");
        });
        app.MapPost("/matrix/{batch}/result", async (HttpContext context, string batch) =>
        {
            var posted = await JsonSerializer.DeserializeAsync<PostedResult>(context.Request.Body, Json, context.RequestAborted);
            if (!_batches.TryGetValue(batch, out var running) || posted is null)
            {
                return Results.NotFound();
            }

            running.Results[posted.Id] = posted.Results;
            return Results.NoContent();
        });
        app.MapPost("/matrix/{batch}/done", (string batch) =>
        {
            if (!_batches.TryGetValue(batch, out var running))
            {
                return Results.NotFound();
            }

            running.Done.TrySetResult();
            return Results.NoContent();
        });
    }

    private static object Argument(Planned p) => new
    {
        id = p.Id,
        times = p.Scenario.Times,
        url = p.Url,
        method = p.Scenario.Method,
        headers = p.Scenario.Headers.Select(h => new[] { h.Name, h.Value }).ToArray(),
        body = p.Scenario.Body,
        bodyKind = p.Scenario.BodyKind.ToString(),
        credentials = p.Scenario.Credentials switch
        {
            CredentialsMode.Omit => "omit",
            CredentialsMode.Include => "include",
            _ => "same-origin",
        },
        initiator = p.Scenario.Initiator.ToString(),
        uploadListener = p.Scenario.UploadListener,
        reads = p.Scenario.Expect.Reads.Keys.ToArray(),
    };

    private string Resolve(string path, string runId)
    {
        var resolved = path
            .Replace("{page}", MainPage.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal)
            .Replace("{page-port}", MainPage.Port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{api}", Api.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal)
            .Replace("{api-localhost}", $"http://localhost:{Api.Port}", StringComparison.Ordinal);
        var separator = resolved.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        return $"{(IsRaw(path) ? Raw : Api).GetLeftPart(UriPartial.Authority)}{resolved}{separator}{ExchangeRecorder.QueryParameter}={runId}";
    }

    private static bool IsRaw(string path) => path.StartsWith("/raw/", StringComparison.Ordinal);

    private string PageUrl(PageOrigin page) => page == PageOrigin.Sandboxed ? OriginOf(PageOrigin.Main) : OriginOf(page);

    private string OriginOf(PageOrigin page) => page switch
    {
        PageOrigin.Main => $"http://127.0.0.1:{MainPage.Port}",
        PageOrigin.OtherPort => $"http://127.0.0.1:{OtherPortPage.Port}",
        PageOrigin.Localhost => $"http://localhost:{MainPage.Port}",
        PageOrigin.Subdomain => $"http://app.localhost:{MainPage.Port}",
        PageOrigin.DeepSubdomain => $"http://deep.app.localhost:{MainPage.Port}",
        PageOrigin.Sandboxed => "null",
        _ => throw new ArgumentOutOfRangeException(nameof(page), page, null),
    };

    [GeneratedRegex(@"corskit-run=([a-z]+-\d+)(?!\d)")]
    private static partial Regex RunIdIn();

    private sealed record Planned(Scenario Scenario, string Id, string Url, string Origin);

    private sealed record PostedResult(string Id, IReadOnlyList<BrowserResult> Results);

    private sealed class Batch(string id)
    {
        public string Id { get; } = id;

        public ConcurrentDictionary<PageOrigin, string> Pages { get; } = new();

        public ConcurrentDictionary<string, IReadOnlyList<BrowserResult>> Results { get; } = new();

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

using System.Text.Json;
using CorsKit.RealBrowsers.Tests.Infrastructure;
using CorsKit.Demo.Playground;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CorsKit.RealBrowsers.Tests.Matrix;

/// <summary>
/// The matrix's world, built once per test class: a page server on two ports of 127.0.0.1 (blank pages), the API through
/// CorsKit on a third, and one Chromium with a cookie for the API's <c>/creds</c> path. Nothing starts when Chromium is missing.
/// </summary>
public sealed class MatrixFixture : IAsyncLifetime
{
    /// <summary>A console line that reports a blocked request.</summary>
    public const string BlockedMarker = "has been blocked by CORS policy";

    /// <summary>A console line XHR writes for a forbidden header.</summary>
    public const string RefusedMarker = "Refused to set unsafe header";

    private const string BlankPage = """<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>CorsKit browser matrix</title><body></body>""";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly Dictionary<PageOrigin, IFrame> _frames = [];
    private WebApplication? _pages;
    private WebApplication? _api;
    private WebApplication? _raw;
    private ChromiumSession? _chromium;
    private int _runs;

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
        if (RealChromium.MissingReason is not null)
        {
            return;
        }

        _pages = await LoopbackServer.StartAsync(
            app => app.MapGet("/", () => Results.Content(BlankPage, "text/html; charset=utf-8")),
            builder => builder.WebHost.UseUrls("http://127.0.0.1:0", "http://127.0.0.1:0"));
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

        _chromium = await ChromiumSession.LaunchAsync();
        var cookie = MatrixApi.Cookie.Split('=');
        await _chromium.Context.AddCookiesAsync(
        [
            new Cookie { Name = cookie[0], Value = cookie[1], Domain = Api.Host, Path = "/creds", SameSite = SameSiteAttribute.Lax },
        ]);
    }

    /// <summary>Runs <paramref name="scenario"/> in the page, then replays the browser model over what the server recorded.</summary>
    /// <param name="scenario">The scenario.</param>
    public async Task<ScenarioRun> RunAsync(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var chromium = _chromium ?? throw new InvalidOperationException("Chromium was not launched");
        var frame = await FrameAsync(scenario.Page);
        var runId = $"r{Interlocked.Increment(ref _runs)}";
        var url = Resolve(scenario.Path, runId);
        var origin = OriginOf(scenario.Page);
        var argument = new
        {
            url,
            method = scenario.Method,
            headers = scenario.Headers.Select(h => new[] { h.Name, h.Value }).ToArray(),
            body = scenario.Body,
            bodyKind = scenario.BodyKind.ToString(),
            credentials = scenario.Credentials switch
            {
                CredentialsMode.Omit => "omit",
                CredentialsMode.Include => "include",
                _ => "same-origin",
            },
            initiator = scenario.Initiator.ToString(),
            uploadListener = scenario.UploadListener,
            reads = scenario.Expect.Reads.Keys.ToArray(),
        };

        var results = new List<BrowserResult>();
        var console = new List<IReadOnlyList<string>>();
        for (var i = 0; i < scenario.Times; i++)
        {
            var mark = chromium.Console.Mark();
            var json = await frame.EvaluateAsync<JsonElement>(PageScript.Send, argument);
            var result = json.Deserialize<BrowserResult>(Json) ?? throw new InvalidOperationException("the page returned nothing");
            var lines = result.Ok
                ? chromium.Console.Since(mark)
                : await chromium.Console.WaitForAsync(mark, line => line.Contains(BlockedMarker, StringComparison.Ordinal), TimeSpan.FromSeconds(5));
            results.Add(result);
            console.Add([.. lines.Where(IsCorsLine)]);
        }

        var recorder = (IsRaw(scenario.Path) ? _raw! : _api!).Services.GetRequiredService<ExchangeRecorder>();
        var exchanges = await recorder.WaitForAsync(runId, TimeSpan.FromSeconds(5));
        var request = scenario.ToBrowserRequest(url, origin);
        var predictions = Prediction.ReplaySequence([.. Enumerable.Repeat(request, scenario.Times)], exchanges, new ChromiumPreflightCache());
        return new ScenarioRun(scenario, url, origin, results, console, exchanges, predictions);
    }

    public async Task DisposeAsync()
    {
        if (_chromium is not null)
        {
            await _chromium.DisposeAsync();
        }

        foreach (var app in new[] { _api, _raw, _pages })
        {
            if (app is not null)
            {
                await app.StopAsync();
                await app.DisposeAsync();
            }
        }
    }

    private static bool IsCorsLine(string line) =>
        line.Contains(BlockedMarker, StringComparison.Ordinal) || line.StartsWith(RefusedMarker, StringComparison.Ordinal);

    private string Resolve(string path, string runId)
    {
        var resolved = path
            .Replace("{page}", MainPage.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal)
            .Replace("{page-port}", MainPage.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{api}", Api.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal)
            .Replace("{api-localhost}", $"http://localhost:{Api.Port}", StringComparison.Ordinal);
        var separator = resolved.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        return $"{(IsRaw(path) ? Raw : Api).GetLeftPart(UriPartial.Authority)}{resolved}{separator}{ExchangeRecorder.QueryParameter}={runId}";
    }

    private static bool IsRaw(string path) => path.StartsWith("/raw/", StringComparison.Ordinal);

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

    private async Task<IFrame> FrameAsync(PageOrigin page)
    {
        if (_frames.TryGetValue(page, out var frame))
        {
            return frame;
        }

        var chromium = _chromium!;
        var opened = await chromium.OpenAsync((page == PageOrigin.Sandboxed ? OriginOf(PageOrigin.Main) : OriginOf(page)) + "/");
        if (page == PageOrigin.Sandboxed)
        {
            await opened.EvaluateAsync(PageScript.AddSandbox);

            // Ask the element for its frame: Playwright's own frame list can trail the page's load event.
            var element = await opened.Locator("iframe[name='sandboxed']").ElementHandleAsync();
            frame = await element.ContentFrameAsync() ?? throw new InvalidOperationException("the sandboxed frame did not load");
        }
        else
        {
            frame = opened.MainFrame;
        }

        _frames[page] = frame;
        return frame;
    }
}

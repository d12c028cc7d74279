using System.Text.RegularExpressions;
using CorsKit.RealBrowsers.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CorsKit.RealBrowsers.Tests.Playground;

/// <summary>A person's walk through the demo's playground in Chromium: fill the form, send, read both verdicts; screenshots kept.</summary>
public sealed class PlaygroundPageTests(PlaygroundFixture fixture) : IClassFixture<PlaygroundFixture>
{
    [SkippableFact]
    public async Task Playground_CredentialedPutToItems_BrowserAndModelAgreeOnAllowed()
    {
        RealEngine.SkipOrFailWhenMissing(BrowserEngine.Chromium);
        var page = await OpenPlaygroundAsync();

        await FillAsync(page, route: "/api/items", method: "PUT", credentials: "include", headers: "X-Token: abc\nContent-Type: application/json", body: """{"name":"kiwi"}""");
        await SendAsync(page);

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifacts.PathFor("playground-allowed.png"), FullPage = true });
        Assert.Equal("agree", await page.Locator("#agreement").GetAttributeAsync("data-agreement"));
        Assert.Equal("Script got 200", await page.Locator("#browser-outcome").InnerTextAsync());
        Assert.Equal("Allowed", await page.Locator("#model-outcome").InnerTextAsync());
        Assert.Equal(["preflight", "request"], await page.Locator(".exchange h3 .tag").AllInnerTextsAsync());
        Assert.Contains("kiwi", await page.Locator("#browser-details").InnerTextAsync(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Playground_HeaderThePublicPolicyRefuses_ShowsChromiumsOwnMessage()
    {
        RealEngine.SkipOrFailWhenMissing(BrowserEngine.Chromium);
        var page = await OpenPlaygroundAsync();
        var console = fixture.Chromium!.Console;
        var mark = console.Mark();

        await FillAsync(page, route: "/api/public", method: "GET", credentials: "same-origin", headers: "X-Token: abc", body: string.Empty);
        await SendAsync(page);

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifacts.PathFor("playground-blocked.png"), FullPage = true });
        Assert.Equal("agree", await page.Locator("#agreement").GetAttributeAsync("data-agreement"));
        Assert.Equal("Blocked: script got an error", await page.Locator("#browser-outcome").InnerTextAsync());
        Assert.Equal("Blocked: HeaderDisallowedByPreflightResponse", await page.Locator("#model-outcome").InnerTextAsync());
        var blocked = (await console.WaitForAsync(mark, l => l.Contains("has been blocked by CORS policy", StringComparison.Ordinal), TimeSpan.FromSeconds(5)))
            .Single(l => l.Contains("has been blocked by CORS policy", StringComparison.Ordinal));
        Assert.EndsWith("Request header field x-token is not allowed by Access-Control-Allow-Headers in preflight response.", blocked, StringComparison.Ordinal);
        Assert.Equal(blocked, await page.Locator("#model-details dd.message").First.InnerTextAsync());
        var webkit = (await page.Locator("#model-details dd.webkit").InnerTextAsync()).Split('\n');
        Assert.Equal("Request header field X-Token is not allowed by Access-Control-Allow-Headers.", webkit[0]);
        Assert.Matches($@"^Fetch API cannot load {Regex.Escape(fixture.ApiUrl)}/api/public\?corskit-run=[^ ]+ due to access control checks\.$", webkit[1]);
        Assert.Equal(2, webkit.Length);
    }

    [SkippableFact]
    public async Task Playground_HeaderThePublicPolicyRefuses_ShowsTheFixAsCorsKitCheckDoes()
    {
        RealEngine.SkipOrFailWhenMissing(BrowserEngine.Chromium);
        var page = await OpenPlaygroundAsync();

        await FillAsync(page, route: "/api/public", method: "GET", credentials: "same-origin", headers: "X-Token: abc", body: string.Empty);
        await SendAsync(page);

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifacts.PathFor("playground-fix.png"), FullPage = true });
        Assert.Equal("Blocked: HeaderDisallowedByPreflightResponse", await page.Locator("#model-outcome").InnerTextAsync());
        Assert.Equal("Add x-token to Access-Control-Allow-Headers.", await page.Locator("#model-details dd.fix-summary").InnerTextAsync());
        var fix = await page.Locator("#model-details dd.fix").AllInnerTextsAsync();
        Assert.Equal(6, fix.Count);
        Assert.Equal($"Access-Control-Allow-Origin: {fixture.PageUrl}\nAccess-Control-Allow-Headers: x-token   (on the preflight)\nVary: Origin", fix[0]);
        Assert.Equal(
            $"builder.Services.AddCorsKit(o => o.AddDefaultPolicy(p => p\n    .WithOrigins(\"{fixture.PageUrl}\")\n    .WithHeaders(\"x-token\")));\n"
            + "app.UseCorsKit();   // anywhere: CorsKit runs outermost, so errors carry the headers too",
            fix[1]);
        var terms = await page.Locator("#model-details dt").AllInnerTextsAsync();
        Assert.Equal(
            ["Fix", "Send", "ASP.NET Core (CorsKit)", "ASP.NET Core (Microsoft.AspNetCore.Cors)", "Flask (flask-cors)", "Express (cors)", "nginx"],
            terms.SkipWhile(t => t != "Fix"));
    }

    private async Task<IPage> OpenPlaygroundAsync()
    {
        var chromium = fixture.Chromium!;
        var page = chromium.Context.Pages.FirstOrDefault(p => p.Url.StartsWith(fixture.PageUrl, StringComparison.Ordinal))
            ?? await chromium.OpenAsync(fixture.PageUrl + "/");
        await page.GotoAsync(fixture.PageUrl + "/");
        await page.Locator("body[data-ready='true']").WaitForAsync();
        return page;
    }

    private static async Task FillAsync(IPage page, string route, string method, string credentials, string headers, string body)
    {
        await page.Locator("#route").FillAsync(route);
        await page.Locator("#method").FillAsync(method);
        await page.Locator("#credentials").SelectOptionAsync(credentials);
        await page.Locator("#headers").FillAsync(headers);
        await page.Locator("#body").FillAsync(body);
    }

    private static async Task SendAsync(IPage page)
    {
        await page.Locator("#run").ClickAsync();
        await page.Locator("#agreement[data-agreement]").WaitForAsync();
    }
}

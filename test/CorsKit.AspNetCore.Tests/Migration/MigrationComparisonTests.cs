using Microsoft.AspNetCore.Builder;

namespace CorsKit.AspNetCore.Tests.Migration;

/// <summary>
/// The typical Microsoft-CORS Program and its two-line move to CorsKit, both on Kestrel, asked the same requests: the
/// status and CORS headers (every Access-Control-* header and Vary) must be the same, except for the differences listed
/// here, which are CorsKit's on purpose and documented in docs/migrating-from-microsoft-cors.md.
/// </summary>
public sealed class MigrationComparisonTests : IAsyncLifetime
{
    private const string App = "https://app.example.com";
    private const string Evil = "https://evil.example.net";
    private const string Shop = "https://shop.partners.example.com";
    private const string DeepShop = "https://eu.shop.partners.example.com";
    private const string PartnersApex = "https://partners.example.com";
    private const string Tools = "https://tools.example.com";

    private WebApplication _microsoft = null!;
    private WebApplication _corsKit = null!;
    private HttpClient _microsoftClient = null!;
    private HttpClient _corsKitClient = null!;

    /// <summary>The requests, each with a name: method, path, Origin (none: null) and further request headers.</summary>
    private static readonly Dictionary<string, (string Method, string Path, string? Origin, (string, string)[] Headers)> Requests = new()
    {
        ["items from app"] = ("GET", "/items", App, []),
        ["items from admin"] = ("GET", "/items", "https://admin.example.com", []),
        ["items from evil"] = ("GET", "/items", Evil, []),
        ["items without Origin"] = ("GET", "/items", null, []),
        ["items post from app"] = ("POST", "/items", App, []),
        ["items preflight from app"] = ("OPTIONS", "/items", App, [Acrm("DELETE"), Acrh("content-type,x-request-id")]),
        ["items preflight from evil"] = ("OPTIONS", "/items", Evil, [Acrm("DELETE")]),
        ["items preflight, method refused"] = ("OPTIONS", "/items", App, [Acrm("PATCH")]),
        ["unknown path from app"] = ("GET", "/nothing-here", App, []),
        ["partner preflight from subdomain"] = ("OPTIONS", "/partners/orders", Shop, [Acrm("PUT"), Acrh("x-api-key,content-type")]),
        ["partner preflight from deeper subdomain"] = ("OPTIONS", "/partners/orders", DeepShop, [Acrm("PUT")]),
        ["partner preflight from apex"] = ("OPTIONS", "/partners/orders", PartnersApex, [Acrm("PUT")]),
        ["partner preflight, header refused"] = ("OPTIONS", "/partners/orders", Shop, [Acrm("PUT"), Acrh("x-secret")]),
        ["partner put from subdomain"] = ("PUT", "/partners/orders", Shop, []),
        ["partner put from app"] = ("PUT", "/partners/orders", App, []),
        ["status from anywhere"] = ("GET", "/status", Evil, []),
        ["status preflight from anywhere"] = ("OPTIONS", "/status", Evil, [Acrm("GET"), Acrh("x-anything")]),
        ["status preflight, method the path does not serve"] = ("OPTIONS", "/status", Evil, [Acrm("DELETE")]),
        ["tools from tools"] = ("GET", "/tools", Tools, []),
        ["tools from app"] = ("GET", "/tools", App, []),
        ["controller list from subdomain"] = ("GET", "/orders", Shop, []),
        ["controller list preflight from subdomain"] = ("OPTIONS", "/orders", Shop, [Acrm("GET"), Acrh("x-api-key")]),
        ["controller list from app"] = ("GET", "/orders", App, []),
        ["controller delete from app"] = ("DELETE", "/orders/1", App, []),
        ["controller delete preflight from app"] = ("OPTIONS", "/orders/1", App, [Acrm("DELETE")]),
        ["controller audit from app"] = ("GET", "/orders/audit", App, []),
        ["controller audit preflight from app"] = ("OPTIONS", "/orders/audit", App, [Acrm("GET")]),
        ["error from app"] = ("GET", "/boom", App, []),
    };

    /// <summary>What both programs answer, for the requests whose answer is the point of a policy entry (not only "the same").</summary>
    private static readonly Dictionary<string, string> Anchors = new()
    {
        ["items from app"] = "200 | Access-Control-Allow-Credentials: true | Access-Control-Allow-Origin: https://app.example.com | Vary: Origin",
        ["unknown path from app"] = "404 | Access-Control-Allow-Credentials: true | Access-Control-Allow-Origin: https://app.example.com | Vary: Origin",
        ["partner put from subdomain"] = "200 | Access-Control-Allow-Credentials: true | Access-Control-Allow-Origin: https://shop.partners.example.com | Access-Control-Expose-Headers: X-Total-Count | Vary: Origin",
        ["status from anywhere"] = "200 | Access-Control-Allow-Origin: *",
        ["controller list from subdomain"] = "200 | Access-Control-Allow-Credentials: true | Access-Control-Allow-Origin: https://shop.partners.example.com | Access-Control-Expose-Headers: X-Total-Count | Vary: Origin",
        ["controller delete from app"] = "204 | Access-Control-Allow-Credentials: true | Access-Control-Allow-Origin: https://app.example.com | Vary: Origin",
        ["controller audit from app"] = "200",
    };

    // The differences, on purpose: request → (Microsoft's answer, CorsKit's answer).
    private const string AppGrant = "Access-Control-Allow-Credentials: true | Access-Control-Allow-Origin: https://app.example.com";

    private static readonly Dictionary<string, (string Microsoft, string CorsKit)> Differences = new()
    {
        // 1. Every answer that depends on Origin says so (Vary: Origin), refusals and requests without Origin included, so
        //    no shared cache hands one origin's answer to another.
        ["items from evil"] = ("200", "200 | Vary: Origin"),
        ["items without Origin"] = ("200", "200 | Vary: Origin"),
        ["items preflight from evil"] = ("204", "204 | Vary: Origin"),
        ["partner preflight from apex"] = ("204", "204 | Vary: Origin"),
        ["partner put from app"] = ("200", "200 | Vary: Origin"),
        ["tools from app"] = ("200", "200 | Vary: Origin"),
        ["controller list from app"] = ("200", "200 | Vary: Origin"),
        ["tools from tools"] = ("200 | Access-Control-Allow-Origin: https://tools.example.com", "200 | Access-Control-Allow-Origin: https://tools.example.com | Vary: Origin"),

        // 2. A preflight answer that echoes the requested method or headers varies on them.
        ["items preflight from app"] = (
            "204 | Access-Control-Allow-Credentials: true | Access-Control-Allow-Headers: content-type,x-request-id | Access-Control-Allow-Methods: GET,POST,DELETE | Access-Control-Allow-Origin: https://app.example.com | Vary: Origin",
            "204 | Access-Control-Allow-Credentials: true | Access-Control-Allow-Headers: content-type,x-request-id | Access-Control-Allow-Methods: GET,POST,DELETE | Access-Control-Allow-Origin: https://app.example.com | Vary: Origin, Access-Control-Request-Headers"),

        ["status preflight from anywhere"] = (
            "204 | Access-Control-Allow-Headers: x-anything | Access-Control-Allow-Methods: GET | Access-Control-Allow-Origin: *",
            "204 | Access-Control-Allow-Headers: x-anything | Access-Control-Allow-Methods: GET | Access-Control-Allow-Origin: * | Vary: Access-Control-Request-Method, Access-Control-Request-Headers"),

        // 3. Listed request headers are sent lower-case (header names are case-insensitive; browsers compare them so).
        ["partner preflight from subdomain"] = (
            ShopPreflight("X-Api-Key,Content-Type", " | Access-Control-Max-Age: 600"),
            ShopPreflight("x-api-key,content-type", " | Access-Control-Max-Age: 600")),
        ["controller list preflight from subdomain"] = (
            ShopPreflight("X-Api-Key,Content-Type", " | Access-Control-Max-Age: 600"),
            ShopPreflight("x-api-key,content-type", " | Access-Control-Max-Age: 600")),
        ["partner preflight from deeper subdomain"] = (
            "204 | Access-Control-Allow-Credentials: true | Access-Control-Allow-Headers: X-Api-Key,Content-Type | Access-Control-Allow-Methods: GET,PUT | Access-Control-Allow-Origin: https://eu.shop.partners.example.com | Access-Control-Max-Age: 600 | Vary: Origin",
            "204 | Access-Control-Allow-Credentials: true | Access-Control-Allow-Headers: x-api-key,content-type | Access-Control-Allow-Methods: GET,PUT | Access-Control-Allow-Origin: https://eu.shop.partners.example.com | Access-Control-Max-Age: 600 | Vary: Origin"),

        // 4. A preflight the browser will fail (a header not allowed) carries no Access-Control-Max-Age.
        ["partner preflight, header refused"] = (
            ShopPreflight("X-Api-Key,Content-Type", " | Access-Control-Max-Age: 600"),
            ShopPreflight("x-api-key,content-type", string.Empty)),

        // 5. A preflight for a method the path does not serve gets the path's policy, like the 405 that follows, so the
        //    browser shows the 405 and not a CORS error; Microsoft answers it with the default policy.
        ["status preflight, method the path does not serve"] = ("204", "204 | Access-Control-Allow-Methods: DELETE | Access-Control-Allow-Origin: * | Vary: Access-Control-Request-Method"),

        // 6. Errors carry the CORS headers, so the browser shows the 500 and not a CORS error.
        ["error from app"] = ("500", $"500 | {AppGrant} | Vary: Origin"),
    };

    private static string ShopPreflight(string allowHeaders, string maxAge) =>
        $"204 | Access-Control-Allow-Credentials: true | Access-Control-Allow-Headers: {allowHeaders} | Access-Control-Allow-Methods: GET,PUT | Access-Control-Allow-Origin: https://shop.partners.example.com{maxAge} | Vary: Origin";

    private static (string, string) Acrm(string method) => ("Access-Control-Request-Method", method);

    private static (string, string) Acrh(string headers) => ("Access-Control-Request-Headers", headers);

    public async Task InitializeAsync()
    {
        _microsoft = MicrosoftCorsProgram.Build();
        _corsKit = CorsKitProgram.Build();
        await Task.WhenAll(_microsoft.StartAsync(), _corsKit.StartAsync());
        _microsoftClient = new HttpClient { BaseAddress = new Uri(_microsoft.Urls.Single()) };
        _corsKitClient = new HttpClient { BaseAddress = new Uri(_corsKit.Urls.Single()) };
    }

    public async Task DisposeAsync()
    {
        _microsoftClient.Dispose();
        _corsKitClient.Dispose();
        await Task.WhenAll(_microsoft.StopAsync(), _corsKit.StopAsync());
        await _microsoft.DisposeAsync();
        await _corsKit.DisposeAsync();
    }

    [Fact]
    public async Task SameRequests_BothPrograms_SameCorsAnswersButTheListedDifferences()
    {
        // Act
        var table = new List<string>();
        var mismatches = new List<string>();
        foreach (var (name, request) in Requests)
        {
            var microsoft = await AnswerAsync(_microsoftClient, request);
            var corsKit = await AnswerAsync(_corsKitClient, request);
            table.Add($"{name}\n  Microsoft: {microsoft}\n  CorsKit:   {corsKit}");

            var expected = Differences.TryGetValue(name, out var difference) ? difference
                : Anchors.TryGetValue(name, out var anchor) ? (anchor, anchor)
                : (microsoft, microsoft);
            if ((microsoft, corsKit) != expected)
            {
                mismatches.Add(name);
            }
        }

        // Assert: every request as listed; the table says what each program answered.
        Assert.True(mismatches.Count == 0, $"unexpected answers for: {string.Join("; ", mismatches)}\n\n{string.Join("\n", table)}");
    }

    [Fact]
    public void Programs_DifferOnlyInTheTwoCalls()
    {
        // Arrange
        var microsoft = File.ReadAllLines(SourceOf("MicrosoftCorsProgram.cs"));
        var corsKit = File.ReadAllLines(SourceOf("CorsKitProgram.cs"));

        // Act: the lines that differ, apart from the class name and its summary.
        var changed = microsoft.Zip(corsKit).Where(pair => pair.First != pair.Second && !pair.First.StartsWith("///", StringComparison.Ordinal) && !pair.First.Contains("MicrosoftCorsProgram", StringComparison.Ordinal)).ToArray();

        // Assert
        Assert.Equal(microsoft.Length, corsKit.Length);
        Assert.Equal(
            [("        builder.Services.AddCors(options =>", "        builder.Services.AddCorsKit(options =>"), ("        app.UseCors();", "        app.UseCorsKit();")],
            changed);
    }

    private static string SourceOf(string file) => Repository.Path("test", "CorsKit.AspNetCore.Tests", "Migration", file);

    // "status | header: value | ..." with the CORS headers (Access-Control-*, Vary) in name order.
    private static async Task<string> AnswerAsync(HttpClient client, (string Method, string Path, string? Origin, (string, string)[] Headers) request)
    {
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Path);
        if (request.Origin is not null)
        {
            message.Headers.TryAddWithoutValidation("Origin", request.Origin);
        }

        foreach (var (name, value) in request.Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await client.SendAsync(message);
        var headers = response.Headers.NonValidated
            .Where(h => h.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase) || h.Key.Equals("Vary", StringComparison.OrdinalIgnoreCase))
            .Select(h => $"{h.Key}: {string.Join(", ", h.Value)}")
            .Order(StringComparer.OrdinalIgnoreCase);
        return string.Join(" | ", [((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture), .. headers]);
    }
}

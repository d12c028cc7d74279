using System.Collections.Concurrent;
using CorsKit.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace CorsKit.AspNetCore.Tests.Configuration;

/// <summary>
/// Policies from a JSON file on disk, rewritten while the app serves on Kestrel. Most tests then call
/// <see cref="IConfigurationRoot.Reload"/>, which runs the reload before it returns; one waits for the file watcher.
/// </summary>
public sealed class ConfigurationReloadTests : IDisposable
{
    private const string Trusted = "https://app.example.com";
    private const string Partner = "https://partner.example.com";

    private readonly string _directory = Directory.CreateTempSubdirectory("corskit-reload-").FullName;

    private string File => Path.Combine(_directory, "cors.json");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Reload_OriginsEdited_NewOriginHonouredRemovedOneRefused()
    {
        await using var app = await StartAsync(Policy(Trusted));
        CorsAssert.Headers(await app.GetAsync("/items", Trusted), ("Access-Control-Allow-Origin", Trusted), ("Vary", "Origin"));
        CorsAssert.Headers(await app.GetAsync("/items", Partner), ("Vary", "Origin"));

        Edit(app, Policy(Partner));

        CorsAssert.Headers(await app.GetAsync("/items", Partner), ("Access-Control-Allow-Origin", Partner), ("Vary", "Origin"));
        CorsAssert.Headers(await app.GetAsync("/items", Trusted), ("Vary", "Origin"));
        var reloaded = Assert.Single(app.Logs.ForEvent(31));
        Assert.Equal((LogLevel.Information, "CORS policies reloaded from configuration: default"), (reloaded.Level, reloaded.Message));
    }

    [Fact]
    public async Task Reload_InvalidEdit_KeepsTheLastValidPoliciesLogsOnceAndReportsDegraded()
    {
        await using var app = await StartAsync(Policy(Trusted));
        Assert.Equal(("Healthy", "serving CORS policies: default"), await HealthAsync(app));

        // The same edit seen twice (one save often raises two notifications): refused, logged once.
        Edit(app, Policy(Partner + "/"));
        ((IConfigurationRoot)app.App.Configuration).Reload();

        CorsAssert.Headers(await app.GetAsync("/items", Trusted), ("Access-Control-Allow-Origin", Trusted), ("Vary", "Origin"));
        CorsAssert.Headers(await app.GetAsync("/items", Partner), ("Vary", "Origin"));
        const string Refusal = "CORS policy 'default': CorsKit:Policies:default:Origins:0: \"https://partner.example.com/\" has a path (a trailing slash); an origin is scheme://host[:port], so write \"https://partner.example.com\"";
        var logged = Assert.Single(app.Logs.ForEvent(32));
        Assert.Equal(LogLevel.Error, logged.Level);
        Assert.Equal("A configuration edit was refused; CorsKit keeps serving the policies it had until a valid edit follows: " + Refusal, logged.Message);
        Assert.Empty(app.Logs.ForEvent(31));
        var (status, description) = await HealthAsync(app);
        Assert.Equal("Degraded", status);
        Assert.Matches("^the configuration edit read at .+ was refused, so the policies loaded before it still serve: ", description);
        Assert.EndsWith(Refusal, description, StringComparison.Ordinal);
        Assert.Equal("Degraded", await app.Client.GetStringAsync("/health"));

        // A valid edit afterwards is taken, and health recovers.
        Edit(app, Policy(Partner));

        CorsAssert.Headers(await app.GetAsync("/items", Partner), ("Access-Control-Allow-Origin", Partner), ("Vary", "Origin"));
        Assert.Equal(("Healthy", "serving CORS policies: default"), await HealthAsync(app));
        Assert.Single(app.Logs.ForEvent(31));
        Assert.Single(app.Logs.ForEvent(32));
    }

    [Fact]
    public async Task Reload_DefaultChosenByUseCorsKitName_FollowsTheEditedPolicy()
    {
        System.IO.File.WriteAllText(File, Named("spa", Trusted));
        await using var app = await TestApp.StartAsync(
            cors: null,
            app =>
            {
                app.UseCorsKit("spa");
                app.MapGet("/items", () => "items");
            },
            builder =>
            {
                builder.Configuration.AddJsonFile(File, optional: false, reloadOnChange: false);
                builder.Services.AddCorsKit(builder.Configuration.GetSection("CorsKit"));
            },
            useCorsKit: false,
            kestrel: true);
        CorsAssert.Headers(await app.GetAsync("/items", Trusted), ("Access-Control-Allow-Origin", Trusted), ("Vary", "Origin"));

        Edit(app, Named("spa", Partner));

        CorsAssert.Headers(await app.GetAsync("/items", Partner), ("Access-Control-Allow-Origin", Partner), ("Vary", "Origin"));
        CorsAssert.Headers(await app.GetAsync("/items", Trusted), ("Vary", "Origin"));

        // An edit that drops the policy UseCorsKit("spa") chose is refused; "spa" keeps serving.
        Edit(app, Named("other", Trusted));

        CorsAssert.Headers(await app.GetAsync("/items", Partner), ("Access-Control-Allow-Origin", Partner), ("Vary", "Origin"));
        var logged = Assert.Single(app.Logs.ForEvent(32));
        Assert.Equal("A configuration edit was refused; CorsKit keeps serving the policies it had until a valid edit follows: UseCorsKit(\"spa\") makes 'spa' the default policy, but no policy of that name is registered (registered: other)", logged.Message);
    }

    [Fact]
    public async Task Reload_EditThatChangesPreflightRouting_IsRefusedWithTheRestartFix()
    {
        await using var app = await StartAsync(Policy(Trusted));

        Edit(app, Policy(Trusted, """, "PassPreflightToEndpoint": true"""));

        var logged = Assert.Single(app.Logs.ForEvent(32));
        Assert.Equal("A configuration edit was refused; CorsKit keeps serving the policies it had until a valid edit follows: CORS policy 'default': PassPreflightToEndpoint changed from False to True; preflight routing is built at startup, so this change needs a restart (or undo the edit)", logged.Message);
    }

    [Fact]
    public async Task Reload_FileRewrittenOnDisk_FollowedWithoutARestart()
    {
        await using var app = await StartAsync(Policy(Trusted), reloadOnChange: true);

        System.IO.File.WriteAllText(File, Policy(Partner));

        // The file watcher's notification comes when it comes: poll, with a bound generous for a loaded machine.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        HttpResponseMessage response;
        while (!(response = await app.GetAsync("/items", Partner)).Headers.Contains("Access-Control-Allow-Origin") && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        CorsAssert.Headers(response, ("Access-Control-Allow-Origin", Partner), ("Vary", "Origin"));
        CorsAssert.Headers(await app.GetAsync("/items", Trusted), ("Vary", "Origin"));
    }

    [Fact]
    public async Task Reload_ConcurrentPreflightsDuringSwaps_EachSeesOneWholePolicySet()
    {
        // Two sets that differ in every header a preflight gets.
        var before = Policy(Trusted, """, "Methods": [ "PUT" ], "Headers": [ "X-Before" ], "MaxAgeSeconds": 100""");
        var after = Policy(Trusted, """, "Methods": [ "PUT", "DELETE" ], "Headers": [ "X-After" ], "MaxAgeSeconds": 200""");
        await using var app = await StartAsync(before);
        var expectedBefore = Headers(await app.PreflightAsync("/items", Trusted, "PUT"));
        Edit(app, after);
        var expectedAfter = Headers(await app.PreflightAsync("/items", Trusted, "PUT"));
        Assert.NotEqual(expectedBefore, expectedAfter);

        // Act: preflights from 8 clients while the file flips between the two sets 40 times.
        var seen = new ConcurrentBag<string>();
        using var done = new CancellationTokenSource();
        var clients = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            do
            {
                seen.Add(Headers(await app.PreflightAsync("/items", Trusted, "PUT")));
            }
            while (!done.IsCancellationRequested);
        })).ToArray();

        // The flips begin once the clients are asking (on a loaded machine their tasks may start late).
        await Poll.UntilAsync(() => seen.Count >= 8);
        for (var i = 0; i < 40; i++)
        {
            Edit(app, i % 2 == 0 ? before : after);
            await Task.Yield();
        }

        await done.CancelAsync();
        await Task.WhenAll(clients);

        // Assert: every answer is one set's whole answer, never a mix.
        Assert.All(seen, headers => Assert.True(headers == expectedBefore || headers == expectedAfter, headers));
        Assert.Equal(41, app.Logs.ForEvent(31).Count); // the first edit, then 40 flips
    }

    private static string Named(string name, string origin) =>
        $$"""{ "CorsKit": { "Policies": { "{{name}}": { "Origins": [ "{{origin}}" ] } } } }""";

    private static string Policy(string origin, string more = "") =>
        $$"""{ "CorsKit": { "Policies": { "default": { "Origins": [ "{{origin}}" ]{{more}} } } } }""";

    private static string Headers(HttpResponseMessage response) =>
        $"{(int)response.StatusCode} " + string.Join("; ", response.Headers
            .Where(h => h.Key.StartsWith("Access-Control-", StringComparison.Ordinal) || h.Key == "Vary")
            .OrderBy(h => h.Key, StringComparer.Ordinal)
            .Select(h => $"{h.Key}: {string.Join(",", h.Value)}"));

    private static async Task<(string Status, string? Description)> HealthAsync(TestApp app)
    {
        var report = await app.App.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        var entry = report.Entries["corskit"];
        return (entry.Status.ToString(), entry.Description);
    }

    // Rewrites the file, then reloads the configuration, which runs CorsKit's reload before it returns.
    private void Edit(TestApp app, string json)
    {
        System.IO.File.WriteAllText(File, json);
        ((IConfigurationRoot)app.App.Configuration).Reload();
    }

    private Task<TestApp> StartAsync(string json, bool reloadOnChange = false)
    {
        System.IO.File.WriteAllText(File, json);
        return TestApp.StartAsync(
            cors: null,
            app =>
            {
                app.MapGet("/items", () => "items");
                app.MapPut("/items", () => "put");
                app.MapDelete("/items", () => "deleted");
                app.MapHealthChecks("/health");
            },
            builder =>
            {
                builder.Configuration.AddJsonFile(File, optional: false, reloadOnChange);
                builder.Services.AddCorsKit(builder.Configuration.GetSection("CorsKit"));
                builder.Services.AddHealthChecks().AddCorsKit();
            },
            kestrel: true);
    }
}

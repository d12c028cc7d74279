using CorsKit.RealBrowsers.Tests.Infrastructure;
using Xunit.Abstractions;

namespace CorsKit.RealBrowsers.Tests.Matrix;

/// <summary>
/// Each scenario of <see cref="ScenarioTable"/> is run by each real engine (Chromium, Firefox, WebKit) from a real page
/// against CorsKit on Kestrel; the intent, what the engine did and what the browser model predicts must agree, down to
/// the console lines. A test case's name starts with the engine that ran it.
/// </summary>
public sealed class CorsMatrixTests(MatrixFixture fixture, ITestOutputHelper output) : IClassFixture<MatrixFixture>
{
    public static TheoryData<BrowserEngine, string> Scenarios
    {
        get
        {
            var data = new TheoryData<BrowserEngine, string>();
            foreach (var engine in Enum.GetValues<BrowserEngine>())
            {
                foreach (var scenario in ScenarioTable.All)
                {
                    data.Add(engine, scenario.Name);
                }
            }

            return data;
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Scenarios))]
    public async Task Scenario_InEngine_IntentEngineAndModelAgree(BrowserEngine engine, string scenario)
    {
        RealEngine.SkipOrFailWhenMissing(engine);

        var run = await fixture.RunAsync(engine, ScenarioTable.Find(scenario));

        var problems = Agreement.Check(run);
        var known = KnownDifference.For(engine, scenario);
        var report = Agreement.Describe(run, problems);
        output.WriteLine(known is null ? report : $"known difference: {known.Reason}\n{report}");
        var accepted = known?.Problems ?? [];
        var unexplained = problems.Where(p => !accepted.Any(a => p.Contains(a, StringComparison.Ordinal))).ToList();
        var gone = known is { Intermittent: true } ? [] : accepted.Where(a => !problems.Any(p => p.Contains(a, StringComparison.Ordinal))).ToList();
        Assert.True(unexplained.Count == 0, report);
        Assert.True(gone.Count == 0, $"a known difference is no longer seen ({string.Join("; ", gone)}): update KnownDifference.All ({known?.Reason})\n{report}");
    }

    [Fact]
    public void KnownDifferences_NameScenariosOfTheTable()
    {
        var names = ScenarioTable.All.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);

        Assert.All(KnownDifference.All, d => Assert.Contains(d.Scenario, names));
    }

    [Fact]
    public void Table_HasAtLeastSixtyScenarios_WithUniqueNames()
    {
        var names = ScenarioTable.All.Select(s => s.Name).ToList();

        Assert.True(names.Count >= 60, $"{names.Count} scenarios");
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
    }
}

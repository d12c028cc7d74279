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
        var report = Agreement.Describe(run, problems);
        output.WriteLine(report);
        Assert.True(problems.Count == 0, report);
    }

    [Fact]
    public void Table_HasAtLeastSixtyScenarios_WithUniqueNames()
    {
        var names = ScenarioTable.All.Select(s => s.Name).ToList();

        Assert.True(names.Count >= 60, $"{names.Count} scenarios");
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
    }
}

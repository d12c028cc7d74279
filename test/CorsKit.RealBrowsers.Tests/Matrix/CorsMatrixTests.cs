using CorsKit.RealBrowsers.Tests.Infrastructure;
using Xunit.Abstractions;

namespace CorsKit.RealBrowsers.Tests.Matrix;

/// <summary>
/// Each scenario of <see cref="ScenarioTable"/> is run by a real Chromium from a real page against CorsKit on Kestrel; the
/// intent, what Chromium did and what the browser model predicts must agree, down to the console message.
/// </summary>
public sealed class CorsMatrixTests(MatrixFixture fixture, ITestOutputHelper output) : IClassFixture<MatrixFixture>
{
    public static TheoryData<string> Scenarios => new(ScenarioTable.All.Select(s => s.Name));

    [SkippableTheory]
    [MemberData(nameof(Scenarios))]
    public async Task Scenario_InChromium_IntentChromiumAndModelAgree(string scenario)
    {
        RealChromium.SkipOrFailWhenMissing();

        var run = await fixture.RunAsync(ScenarioTable.Find(scenario));

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

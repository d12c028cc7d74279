using System.Diagnostics;
using CorsKit.AspNetCore.Tests.Infrastructure;
using CorsKit.Reliability.Tests.Infrastructure;
using Xunit.Abstractions;

namespace CorsKit.Reliability.Tests.Load;

/// <summary>
/// The short soak: scripts/soak.sh for 10 s against the demo (the build next to these tests), so that the README's test
/// command runs it. The script checks every answer, socket errors, the rejection log lines and memory; this test
/// requires it to pass and shows its report.
/// </summary>
[Collection(WallClockBounds.Name)]
public sealed class SoakTests(ITestOutputHelper output)
{
    private const int Seconds = 10;

    [RealComponentFact("wrk", "wrk")]
    public async Task Soak_TenSeconds_EveryAnswerExpectedNoErrorsMemoryBounded()
    {
        RealComponents.Require("wrk", "wrk");
        var root = Repository.Root;
        var demo = Path.Combine(AppContext.BaseDirectory, "CorsKit.Demo.dll");
        using var soak = Process.Start(new ProcessStartInfo("bash")
        {
            ArgumentList = { Path.Combine(root, "scripts", "soak.sh"), "--duration", Seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "--demo-dll", demo },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;

        var stdout = soak.StandardOutput.ReadToEndAsync();
        var stderr = soak.StandardError.ReadToEndAsync();
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(Seconds + 80));
        try
        {
            await soak.WaitForExitAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            soak.Kill(entireProcessTree: true); // the script, wrk and the demo, by pid
            throw;
        }

        var report = await stdout + await stderr;
        foreach (var line in report.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            output.WriteLine(line.StartsWith("soak: ", StringComparison.Ordinal) ? "FIGURE " + line : line);
        }

        Assert.True(soak.ExitCode == 0, $"scripts/soak.sh failed ({soak.ExitCode}):\n{report}");
        Assert.Contains("soak: unexpected answers   0 (warm-up: 0)", report, StringComparison.Ordinal);
        Assert.Contains("soak: socket errors        0", report, StringComparison.Ordinal);
        Assert.Contains("soak: PASS", report, StringComparison.Ordinal);
    }
}

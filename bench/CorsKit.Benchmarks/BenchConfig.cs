using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace CorsKit.Benchmarks;

/// <summary>
/// The suite's configuration: MemoryDiagnoser, the JSON exporter that <c>bench/run.sh</c> reads, ratios to the no-CORS
/// baseline, and one of two jobs:
/// - full: each benchmark in 3 processes of its own (a process's code layout and JIT decisions shift a mean by up to
///   15% while iterations within it agree to 1%), 5 warm-ups and 5 measured iterations of about 0.5 s in each;
/// - quick (<c>--quick</c>): all in this process, 5 iterations of 0.2 s after 3 warm-ups; for iterating, not for reporting.
/// Both measure the benchmark thread's CPU time (<see cref="ThreadCpuClock"/>) unless <c>--wall-clock</c> is given.
/// </summary>
internal static class BenchConfig
{
    public static IConfig Create(bool quick, bool wallClock)
    {
        var job = quick
            ? Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(3).WithIterationCount(5).WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(200)).WithId("Quick")
            : Job.Default.WithLaunchCount(3).WithWarmupCount(5).WithIterationCount(5).WithId("Full");
        if (!wallClock && ThreadCpuClock.Instance.IsAvailable)
        {
            job = job.WithClock(ThreadCpuClock.Instance);
        }

        return DefaultConfig.Instance
            .AddJob(job.AsDefault())
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddExporter(JsonExporter.Full)
            .AddColumn(BaselineRatioColumn.RatioMean)
            .WithOrderer(new BenchmarkDotNet.Order.DefaultOrderer(BenchmarkDotNet.Order.SummaryOrderPolicy.Declared))
            ;
    }
}

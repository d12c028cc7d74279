using BenchmarkDotNet.Running;
using CorsKit.Benchmarks;

// dotnet run -c Release -- [--quick] [--wall-clock] [BenchmarkDotNet arguments, e.g. --filter *Preflight*]; without --filter, everything.
var quick = args.Contains("--quick");
var wallClock = args.Contains("--wall-clock");
var rest = args.Where(a => a is not "--quick" and not "--wall-clock").ToList();
if (!rest.Contains("--filter"))
{
    rest.InsertRange(0, ["--filter", "*"]);
}

BenchmarkSwitcher.FromAssembly(typeof(BenchConfig).Assembly).Run([.. rest], BenchConfig.Create(quick, wallClock));

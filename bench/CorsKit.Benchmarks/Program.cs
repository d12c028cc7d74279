using BenchmarkDotNet.Running;
using CorsKit.Benchmarks;

// dotnet run -c Release -- [--quick] [BenchmarkDotNet arguments, e.g. --filter *Preflight*]; without --filter, everything.
var quick = args.Contains("--quick");
var rest = args.Where(a => a != "--quick").ToList();
if (!rest.Contains("--filter"))
{
    rest.InsertRange(0, ["--filter", "*"]);
}

BenchmarkSwitcher.FromAssembly(typeof(BenchConfig).Assembly).Run([.. rest], BenchConfig.Create(quick));

using System.Globalization;
using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using CorsKit.Evaluation;
using CorsKit.Policies;
using CorsKit.Sources;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CorsKit.Benchmarks.Scenarios;

/// <summary>
/// The engine's evaluation of an allowed GET alone (<see cref="CorsEvaluator.Evaluate(CorsPolicy, in CorsRequest)"/>), without
/// the HTTP pipeline around it: what <see cref="OriginSourceBenchmark"/>'s source rows add to its static row, split from
/// what the pipeline adds. The same data (1,000 tenants of 10 origins, the request's host <c>api.example.com</c> one of
/// them, and an untenanted set), read into an <see cref="OriginSource"/> by a host's sync as an app's would be, and not
/// read again while measured (a resync interval of a day); the strings looked up are fresh copies, as a server hands a
/// request's headers over. One tenant is looked up over and over, so its objects stay in the cache: a pipeline around
/// the lookup, or many tenants, would read them from further out. Not a CORS scenario: <c>bench/run.sh</c> prints it and
/// leaves it out of summary.json.
/// </summary>
public class OriginSourceLookupBenchmark
{
    private const string Tenant = "api.example.com";
    private const string Origin = "https://app.example.com";

    private IHost? _host;
    private CorsPolicy _static = null!;
    private CorsPolicy _untenanted = null!;
    private CorsPolicy _perTenant = null!;
    private CorsRequest _request;
    private CorsRequest _tenantRequest;
    private string _tenant = null!;

    [GlobalSetup]
    public void Setup()
    {
        var source = new OriginSource("lookup", new ListedStore(), new OriginSourceOptions { ResyncInterval = TimeSpan.FromDays(1) });
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production", DisableDefaults = true });
        builder.Services.AddCorsKit(cors => cors.AddPolicy("sourced", p => p.WithOriginsFrom(source)));
        _host = builder.Build();
        _host.StartAsync().GetAwaiter().GetResult();
        if (source.Status != OriginSourceStatus.Current)
        {
            throw new InvalidOperationException($"the source is {source.Status} after the host's start, not Current");
        }

        _static = new CorsPolicyBuilder("static").WithOrigins(Origin).Build();
        _untenanted = new CorsPolicyBuilder("untenanted").WithOriginsFrom(source).Build();
        _perTenant = new CorsPolicyBuilder("per-tenant").WithOriginsFrom(source, OriginTenant.Host).Build();
        _tenant = new string(Tenant.AsSpan());
        _request = new CorsRequest("GET", new string(Origin.AsSpan()));
        _tenantRequest = _request with { Tenant = _tenant };
        if (StaticExact().Outcome != CorsOutcome.Allowed || SourceUntenanted().Outcome != CorsOutcome.Allowed || SourcePerTenant().Outcome != CorsOutcome.Allowed)
        {
            throw new InvalidOperationException("an evaluation did not allow the origin");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _host?.StopAsync().GetAwaiter().GetResult();
        _host?.Dispose();
    }

    [Benchmark(Baseline = true)]
    public CorsDecision StaticExact() => CorsEvaluator.Evaluate(_static, _request);

    [Benchmark]
    public CorsDecision SourceUntenanted() => CorsEvaluator.Evaluate(_untenanted, _request);

    [Benchmark]
    public CorsDecision SourcePerTenant() => CorsEvaluator.Evaluate(_perTenant, _tenantRequest);

    private sealed class ListedStore : IOriginStore
    {
        public async IAsyncEnumerable<TenantOrigins> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.Yield();
            for (var t = 0; t < 1000; t++)
            {
                var tenant = t == 500 ? Tenant : $"tenant-{t.ToString(CultureInfo.InvariantCulture)}.example.com";
                yield return new TenantOrigins(tenant, [.. Enumerable.Range(0, 10).Select(o => t == 500 && o == 5 ? Origin : $"https://app-{t:D4}-{o}.example.com")]);
            }

            yield return new TenantOrigins(string.Empty, [.. Enumerable.Range(0, 10).Select(o => o == 5 ? Origin : $"https://app-untenanted-{o}.example.com")]);
        }

        public Task<IReadOnlyCollection<string>> ListAsync(string tenant, CancellationToken cancellationToken) =>
            throw new NotSupportedException("the benchmark reads everything once");
    }
}

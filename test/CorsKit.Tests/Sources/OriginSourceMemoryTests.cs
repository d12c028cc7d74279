using System.Globalization;
using CorsKit.Sources;
using Xunit.Abstractions;

namespace CorsKit.Tests.Sources;

/// <summary>The memory of a large local copy, stated in docs/performance.md (printed as FIGURE; bounded generously, never timed).</summary>
public sealed class OriginSourceMemoryTests(ITestOutputHelper output)
{
    [Fact]
    public void ReplaceAll_MillionOriginsOverHundredThousandTenants_HeldInBoundedMemory()
    {
        var source = new OriginSource("big", new EmptyOriginStore());
        var before = GC.GetTotalMemory(forceFullCollection: true);

        // Generated lazily, so what remains afterwards is the copy alone: tenant names and normalised origins.
        source.ReplaceAll(Tenants(), DateTimeOffset.UnixEpoch, []);
        var after = GC.GetTotalMemory(forceFullCollection: true);

        var megabytes = (after - before) / 1024.0 / 1024.0;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"FIGURE origin source memory: {source.OriginCount:N0} origins over {source.TenantCount:N0} tenants hold {megabytes:F0} MB ({(after - before) / (double)source.OriginCount:F0} B per origin)"));
        Assert.Equal(1_000_000, source.OriginCount);
        Assert.True(source.Contains("t99999", "https://app9.t99999.example"));
        Assert.False(source.Contains("t99998", "https://app9.t99999.example"));
        Assert.InRange(megabytes, 1, 512);
        GC.KeepAlive(source);

        static IEnumerable<TenantOrigins> Tenants()
        {
            for (var t = 0; t < 100_000; t++)
            {
                var tenant = "t" + t.ToString(CultureInfo.InvariantCulture);
                yield return new TenantOrigins(tenant, [.. Enumerable.Range(0, 10).Select(o => $"https://app{o.ToString(CultureInfo.InvariantCulture)}.{tenant}.example")]);
            }
        }
    }
}

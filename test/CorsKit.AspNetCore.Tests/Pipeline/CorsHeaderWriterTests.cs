using CorsKit.Evaluation;
using Microsoft.AspNetCore.Http;

namespace CorsKit.AspNetCore.Tests.Pipeline;

public sealed class CorsHeaderWriterTests
{
    [Fact]
    public void MergeVary_NoVaryYet_WritesThePrecomputedValueAndAllocatesNothing()
    {
        IHeaderDictionary headers = new HeaderDictionary();
        CorsHeaderWriter.MergeVary(headers, VaryOn.Origin | VaryOn.RequestHeaders);
        Assert.Equal("Origin, Access-Control-Request-Headers", headers.Vary.ToString());

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            headers.Remove("Vary");
            CorsHeaderWriter.MergeVary(headers, VaryOn.Origin);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal("Origin", headers.Vary.ToString());
    }

    [Fact]
    public void MergeVary_AppSetVary_AppendsOnlyWhatIsMissing()
    {
        IHeaderDictionary headers = new HeaderDictionary { ["Vary"] = "Accept-Encoding, origin" };

        CorsHeaderWriter.MergeVary(headers, VaryOn.Origin | VaryOn.RequestMethod);

        Assert.Equal("Accept-Encoding, origin, Access-Control-Request-Method", headers.Vary.ToString());
    }
}

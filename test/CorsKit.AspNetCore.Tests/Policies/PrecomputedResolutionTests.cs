using CorsKit.AspNetCore.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace CorsKit.AspNetCore.Tests.Policies;

public sealed class PrecomputedResolutionTests
{
    [Fact]
    public void Resolve_PrecomputedAndUnknownEndpoints_SameAnswersAsMetadata()
    {
        var options = new CorsKitOptions();
        options.AddDefaultPolicy(p => p.WithOrigins("https://spa.example.com"));
        options.AddPolicy("partner", p => p.WithOrigins("https://partner.example.com"));
        var registry = new CorsPolicyRegistry(Options.Create(options));
        var plain = Endpoint("plain");
        var named = Endpoint("named", new CorsPolicyMetadata("partner"));
        var off = Endpoint("off", NoCorsMetadata.Instance);
        var later = Endpoint("added later", new CorsPolicyMetadata("partner"));

        registry.Precompute([plain, named, off, named]);

        Assert.Same(registry.Default, registry.Resolve(plain));
        Assert.Equal("partner", registry.Resolve(named)?.Name);
        Assert.Null(registry.Resolve(off));
        Assert.Equal("partner", registry.Resolve(later)?.Name);
        Assert.Same(registry.Default, registry.Resolve(null));
    }

    private static Endpoint Endpoint(string name, params object[] metadata) =>
        new(_ => Task.CompletedTask, new EndpointMetadataCollection(metadata), name);
}

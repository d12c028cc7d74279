using CorsKit.AspNetCore.Hooks;
using Microsoft.AspNetCore.Http;

namespace CorsKit.AspNetCore.Tests.Hooks;

public sealed class AfterRequestHooksTests
{
    [Fact]
    public void Any_NoHooksAnywhere_AllocatesNothing()
    {
        var hooks = new AfterRequestHooks();
        hooks.Freeze();
        var context = new DefaultHttpContext();
        context.SetEndpoint(new Endpoint(_ => Task.CompletedTask, new EndpointMetadataCollection(new object()), "plain"));
        Assert.False(hooks.Any(context, RoutedEndpoint.Of(context))); // the first call fills the endpoint's metadata cache

        var before = GC.GetAllocatedBytesForCurrentThread();
        var any = false;
        for (var i = 0; i < 1000; i++)
        {
            any |= hooks.Any(context, RoutedEndpoint.Of(context));
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.False(any);
    }

    [Fact]
    public void Any_EndpointHook_True()
    {
        var hooks = new AfterRequestHooks();
        hooks.Freeze();
        var context = new DefaultHttpContext();
        var metadata = new AfterRequestMetadata(new AfterRequestHook(_ => { }, AfterRequestScope.Endpoint));
        context.SetEndpoint(new Endpoint(_ => Task.CompletedTask, new EndpointMetadataCollection(metadata), "hooked"));

        Assert.True(hooks.Any(context, context.GetEndpoint()));
    }
}

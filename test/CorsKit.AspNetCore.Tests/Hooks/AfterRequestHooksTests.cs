using CorsKit.AspNetCore.Hooks;
using CorsKit.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CorsKit.AspNetCore.Tests.Hooks;

public sealed class AfterRequestHooksTests
{
    [Fact]
    public void RunAsync_NoHooksAnywhere_CompletesAtOnceAndAllocatesNothing()
    {
        var hooks = new AfterRequestHooks();
        hooks.Freeze();
        var context = new DefaultHttpContext();
        context.SetEndpoint(new Endpoint(_ => Task.CompletedTask, new EndpointMetadataCollection(new object()), "plain"));
        var logger = new LogSink().CreateLogger("hooks");
        Assert.True(hooks.RunAsync(context, RoutedEndpoint.Of(context, context.GetEndpoint()), logger).IsCompletedSuccessfully); // fills the endpoint's metadata cache

        var before = GC.GetAllocatedBytesForCurrentThread();
        var completed = true;
        for (var i = 0; i < 1000; i++)
        {
            completed &= hooks.RunAsync(context, RoutedEndpoint.Of(context, context.GetEndpoint()), logger).IsCompletedSuccessfully;
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(completed);
    }

    [Fact]
    public void RunAsync_SynchronousEndpointHook_RunsAndCompletesAtOnce()
    {
        var hooks = new AfterRequestHooks();
        hooks.Freeze();
        var context = new DefaultHttpContext();
        var metadata = new AfterRequestMetadata(new AfterRequestHook(c => c.Response.Headers["X-Hooked"] = "yes", AfterRequestScope.Endpoint));
        context.SetEndpoint(new Endpoint(_ => Task.CompletedTask, new EndpointMetadataCollection(metadata), "hooked"));

        var run = hooks.RunAsync(context, context.GetEndpoint(), new LogSink().CreateLogger("hooks"));

        Assert.True(run.IsCompletedSuccessfully);
        Assert.Equal("yes", context.Response.Headers["X-Hooked"]);
    }

    [Fact]
    public async Task RunAsync_AsyncAndThrowingHooksAtEveryStage_OrderKeptAndEachFailureLoggedOnce()
    {
        var order = new List<string>();
        var hooks = new AfterRequestHooks();
        hooks.Add(new AfterRequestHook(_ => order.Add("app first added"), AfterRequestScope.App));
        hooks.Add(new AfterRequestHook(_ => throw new InvalidOperationException("app hook"), AfterRequestScope.App));
        hooks.Add(new AfterRequestHook(async _ => { await Task.Yield(); order.Add("app last added"); }, AfterRequestScope.App));
        hooks.Freeze();
        var context = new DefaultHttpContext();
        context.SetEndpoint(new Endpoint(
            _ => Task.CompletedTask,
            new EndpointMetadataCollection(
                new AfterRequestMetadata(new AfterRequestHook(_ => order.Add("group"), AfterRequestScope.Group)),
                new AfterRequestMetadata(new AfterRequestHook(async _ => { await Task.Yield(); throw new InvalidOperationException("endpoint hook"); }, AfterRequestScope.Endpoint)),
                new AfterRequestMetadata(new AfterRequestHook(_ => order.Add("endpoint"), AfterRequestScope.Endpoint))),
            "hooked"));
        context.RequestServices = new ServiceCollection().AddSingleton(hooks).BuildServiceProvider();
        context.AfterThisRequest(async c =>
        {
            await Task.Yield();
            order.Add("request 1");
            c.AfterThisRequest(_ => order.Add("request 3, added by request 1"));
        });
        context.AfterThisRequest(_ => order.Add("request 2"));
        var logs = new LogSink();

        var run = hooks.RunAsync(context, context.GetEndpoint(), logs.CreateLogger("hooks"));
        await run;

        Assert.Equal(["request 1", "request 2", "request 3, added by request 1", "endpoint", "group", "app last added", "app first added"], order);
        Assert.Equal(["endpoint hook", "app hook"], logs.Entries.Where(e => e.EventId == 20).Select(e => e.Exception!.Message));
    }
}

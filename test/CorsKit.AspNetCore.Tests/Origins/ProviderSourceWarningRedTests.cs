using CorsKit.AspNetCore.Tests.Infrastructure;
using CorsKit.Sources;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CorsKit.AspNetCore.Tests.Origins;

/// <summary>Red tests against fa0bbcb's event 51 (a provider's policy drawing from a source nothing reads).</summary>
public sealed class ProviderSourceWarningRedTests
{
    private const string Acme = "https://app.acme.example";

    // The server serves from the end of the hosted services' StartAsync, but an inline endpoint policy's (or a
    // UseCorsKit(p => ...) default's) source is added to the syncs only in OriginSources.StartedAsync. A request
    // answered in between (a load balancer's first probe; here: a lifecycle service registered before AddCorsKit)
    // makes event 51 claim "no registered or endpoint policy of a running host draws from it", which is false, and the
    // once-per-provider latch is spent on it.
    [Fact]
    public async Task ProviderSourceAlsoInlineEndpointPolicys_RequestBeforeStarted_NoEvent51()
    {
        var store = new MemoryOriginStore();
        store.Tenants[string.Empty] = [Acme];
        var source = new OriginSource("shared-inline", store);
        var policy = new global::CorsKit.Policies.CorsPolicyBuilder().WithOriginsFrom(source).Build();
        await using var app = await TestApp.StartAsync(
            options =>
            {
                options.AddPolicyProvider("tenants", (_, _) => ValueTask.FromResult<global::CorsKit.Policies.CorsPolicy?>(policy));
                options.DefaultPolicyName = "tenants";
            },
            web =>
            {
                web.MapGet("/data", () => "payload");
                web.MapGet("/inline", () => "x").WithCors(p => p.WithOriginsFrom(source));
            },
            before: b => b.Services.AddSingleton<IHostedService, EarlyRequest>());

        await Poll.UntilAsync(() => source.Status == OriginSourceStatus.Current);
        Assert.True(EarlyRequest.Sent);
        Assert.Empty(app.Logs.ForEvent(51));
    }

    private sealed class EarlyRequest(IServer server) : IHostedLifecycleService
    {
        public static volatile bool Sent;

        public async Task StartedAsync(CancellationToken cancellationToken)
        {
            using var client = ((TestServer)server).CreateClient();
            using var request = new HttpRequestMessage(HttpMethod.Get, "/data");
            request.Headers.TryAddWithoutValidation("Origin", Acme);
            using var response = await client.SendAsync(request, cancellationToken);
            Sent = true;
        }

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

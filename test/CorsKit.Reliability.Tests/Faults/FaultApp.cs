using CorsKit.Reliability.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CorsKit.Reliability.Tests.Faults;

/// <summary>An app on Kestrel (127.0.0.1) whose routes each inject one fault, and a healthy route to prove the host still serves.</summary>
public static class FaultApp
{
    public const string App = "https://app.example.com";

    /// <summary>Released at the end of a test, so a "hanging" predicate's thread does not outlive it.</summary>
    public static Task<KestrelApp> StartAsync(ManualResetEventSlim release, Action<HttpContext>? onStreamEnded = null) =>
        KestrelApp.StartAsync(
            options =>
            {
                options.AddDefaultPolicy(p => p.WithOrigins(App).AllowCredentials());
                options.AddPolicy("throwing-predicate", p => p.WithOriginPredicate(_ => throw new InvalidOperationException("the predicate's database is down")));
                options.AddPolicy("hanging-predicate", p => p.WithOriginPredicate(_ =>
                {
                    release.Wait(); // hangs until the test ends
                    return true;
                }));

                // Policy providers: one throws at once, one returns a task that faults, one never answers (a database that hangs).
                options.AddPolicyProvider("throwing-provider", (_, _) => throw new InvalidOperationException("the tenant store is down"));
                options.AddPolicyProvider("faulting-provider", async (_, _) =>
                {
                    await Task.Yield();
                    throw new InvalidOperationException("the tenant query failed");
                });
                options.AddPolicyProvider("hanging-provider", (_, _) => new ValueTask<CorsKit.Policies.CorsPolicy?>(new TaskCompletionSource<CorsKit.Policies.CorsPolicy?>().Task));

                // A lookahead and a backreference need .NET's backtracking engine (allowed explicitly, with its 50 ms timeout);
                // (a+)+ then backtracks exponentially.
                options.AddPolicy("catastrophic-regex", p => p.WithOriginRegex(@"https://(?=a)(a+)+\1b").AllowBacktrackingOriginRegex());
            },
            app =>
            {
                app.MapGet("/ok", () => "fine");
                app.MapGet("/throw-before", string () => throw new InvalidOperationException("handler failed before writing"));
                app.MapGet("/throw-after", async (HttpContext context) =>
                {
                    await context.Response.WriteAsync("partial ");
                    await context.Response.Body.FlushAsync();
                    throw new InvalidOperationException("handler failed after writing");
                });
                app.MapGet("/stream", async (HttpContext context) =>
                {
                    try
                    {
                        for (var i = 0; i < 200; i++)
                        {
                            await context.Response.WriteAsync(new string('x', 1024) + "\n", context.RequestAborted);
                            await context.Response.Body.FlushAsync(context.RequestAborted);
                            await Task.Delay(10, context.RequestAborted);
                        }
                    }
                    finally
                    {
                        onStreamEnded?.Invoke(context);
                    }
                });
                app.MapGet("/predicate-throws", () => "served").WithCors("throwing-predicate");
                app.MapGet("/predicate-hangs", () => "served").WithCors("hanging-predicate");
                app.MapGet("/regex-times-out", () => "served").WithCors("catastrophic-regex");
                app.MapGet("/hook-throws", () => "served").AfterRequest(_ => throw new InvalidOperationException("the hook failed"));
                app.MapGet("/hook-faults", () => "served").AfterRequest(async _ =>
                {
                    await Task.Yield();
                    throw new InvalidOperationException("the async hook failed");
                });
                app.MapGet("/provider-throws", () => "served").WithCors("throwing-provider");
                app.MapGet("/provider-faults", () => "served").WithCors("faulting-provider");
                app.MapGet("/provider-hangs", () => "served").WithCors("hanging-provider");
            });
}

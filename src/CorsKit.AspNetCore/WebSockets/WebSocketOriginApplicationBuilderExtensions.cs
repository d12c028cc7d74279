using CorsKit.AspNetCore;
using CorsKit.AspNetCore.WebSockets;
using CorsKit.Policies;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Gives WebSockets (<c>UseWebSockets</c>, SignalR's WebSocket transport) the origin list of a CorsKit policy.</summary>
public static class WebSocketOriginApplicationBuilderExtensions
{
    /// <summary>
    /// Refuses with 403 every WebSocket handshake whose <c>Origin</c> the policy <paramref name="policyName"/> refuses,
    /// judged by the policy's own origin entries, as for a GET from that origin. CORS does not protect WebSockets (no
    /// preflight, and the browser ignores the handshake response's CORS headers), so without this check any site can open
    /// a socket with the user's cookies. A handshake without <c>Origin</c> (not from a browser) passes. Place it before
    /// the endpoints that accept sockets (<c>UseWebSockets</c>, <c>MapHub</c>); other requests pass untouched.
    /// </summary>
    /// <param name="app">The application.</param>
    /// <param name="policyName">A policy (or provider) registered with <c>AddCorsKit</c>; an unknown name throws here, at startup.</param>
    public static IApplicationBuilder UseWebSocketOrigins(this IApplicationBuilder app, string policyName)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentException.ThrowIfNullOrEmpty(policyName);
        var registry = app.ApplicationServices.GetService<CorsPolicyRegistry>()
            ?? throw new InvalidOperationException("UseWebSocketOrigins() needs CorsKit's services: call builder.Services.AddCorsKit(...) first.");
        if (!registry.IsRegistered(policyName))
        {
            throw new CorsPolicyException($"UseWebSocketOrigins(\"{policyName}\") names a policy that is not registered; add options.AddPolicy(\"{policyName}\", ...) (registered: {string.Join(", ", registry.Names)})");
        }

        registry.WebSocketPolicyNames.Add(policyName);
        return app.UseMiddleware<WebSocketOriginMiddleware>(policyName);
    }
}

using Microsoft.AspNetCore.Http.Connections.Features;
using Microsoft.AspNetCore.SignalR;

namespace CorsKit.RealBrowsers.Tests.SignalR;

/// <summary>Echoes a message with what the server saw: the transport it came over and the session cookie it carried.</summary>
public sealed class EchoHub : Hub
{
    /// <summary>The message, the transport, and the cookie.</summary>
    /// <param name="message">Any text.</param>
    public string Echo(string message)
    {
        var transport = Context.Features.Get<IHttpTransportFeature>()?.TransportType.ToString() ?? "unknown";
        var cookie = Context.GetHttpContext()?.Request.Cookies[SignalRFixture.Cookie] ?? "none";
        return $"{message} over {transport}, cookie {cookie}";
    }
}

using System.Net.WebSockets;

namespace CorsKit.AspNetCore.Tests.Infrastructure;

/// <summary>A WebSocket handshake against a Kestrel <see cref="TestApp"/>, as a browser makes it.</summary>
public static class WebSocketHandshake
{
    /// <summary>
    /// Connects with <paramref name="origin"/> as the <c>Origin</c> header (none when null), keeping the handshake's status
    /// and headers; a refused handshake leaves a closed socket, not an exception, so the test can read the response.
    /// </summary>
    /// <param name="app">The app, on Kestrel.</param>
    /// <param name="path">The WebSocket endpoint's path.</param>
    /// <param name="origin">The page's origin.</param>
    public static async Task<ClientWebSocket> ConnectAsync(TestApp app, string path, string? origin)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }

        var uri = new UriBuilder(app.Client.BaseAddress!) { Scheme = "ws", Path = path }.Uri;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await socket.ConnectAsync(uri, timeout.Token);
        }
        catch (WebSocketException) when (socket.HttpStatusCode != 0)
        {
            // The server answered the handshake with something other than 101: HttpStatusCode says what.
        }

        return socket;
    }
}

using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;

namespace CorsKit.RealBrowsers.Tests.Infrastructure;

/// <summary>
/// A WebDriver BiDi session over a WebSocket (<see href="https://w3c.github.io/webdriver-bidi/"/>): commands with ids,
/// their results, and events handed to a callback. Just what the tests use of the protocol.
/// </summary>
public sealed class BiDiConnection : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly Action<string, JsonElement> _onEvent;
    private readonly CancellationTokenSource _stop = new();
    private Task _reading = Task.CompletedTask;
    private int _nextId;

    private BiDiConnection(Action<string, JsonElement> onEvent) => _onEvent = onEvent;

    /// <summary>Connects to <paramref name="endpoint"/> (<c>ws://127.0.0.1:P/session</c>) and starts reading.</summary>
    /// <param name="endpoint">The WebSocket address.</param>
    /// <param name="onEvent">Called with each event's method and params, on the reading thread.</param>
    public static async Task<BiDiConnection> ConnectAsync(Uri endpoint, Action<string, JsonElement> onEvent)
    {
        var connection = new BiDiConnection(onEvent);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await connection._socket.ConnectAsync(endpoint, timeout.Token);
        connection._reading = Task.Run(connection.ReadAsync);
        return connection;
    }

    /// <summary>Sends a command and returns its result; an error answer throws.</summary>
    /// <param name="method">Such as <c>session.new</c>.</param>
    /// <param name="parameters">The params object.</param>
    public async Task<JsonElement> SendAsync(string method, object parameters)
    {
        var id = Interlocked.Increment(ref _nextId);
        var answer = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        var message = JsonSerializer.SerializeToUtf8Bytes(new { id, method, @params = parameters });
        await _socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, _stop.Token);
        return await answer.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _reading;
        }
        catch (OperationCanceledException)
        {
        }

        _socket.Dispose();
        _stop.Dispose();
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var received = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                message.Write(buffer, 0, received.Count);
                if (received.EndOfMessage)
                {
                    Dispatch(JsonDocument.Parse(message.ToArray()).RootElement);
                    message.SetLength(0);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The browser went away, or the session is being disposed.
        }

        foreach (var pending in _pending.Values)
        {
            pending.TrySetException(new WebSocketException("the BiDi connection closed"));
        }
    }

    private void Dispatch(JsonElement message)
    {
        if (message.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.Number && _pending.TryRemove(id.GetInt32(), out var answer))
        {
            if (message.GetProperty("type").GetString() == "error")
            {
                answer.TrySetException(new InvalidOperationException($"BiDi: {message.GetProperty("error").GetString()}: {message.GetProperty("message").GetString()}"));
            }
            else
            {
                answer.TrySetResult(message.GetProperty("result").Clone());
            }
        }
        else if (message.TryGetProperty("method", out var method))
        {
            _onEvent(method.GetString()!, message.GetProperty("params").Clone());
        }
    }
}

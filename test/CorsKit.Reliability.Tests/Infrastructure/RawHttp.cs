using System.Net.Sockets;
using System.Text;

namespace CorsKit.Reliability.Tests.Infrastructure;

/// <summary>
/// HTTP/1.1 over a raw socket, for requests HttpClient refuses to send (control bytes, raw non-ASCII, duplicated or
/// oversized headers). Each request asks the server to close the connection, so the answer ends at end of stream.
/// </summary>
public static class RawHttp
{
    public static async Task<RawResponse> SendAsync(int port, string method, string path, IEnumerable<(string Name, string Value)> headers, TimeSpan? timeout = null)
    {
        var head = new StringBuilder();
        head.Append(method).Append(' ').Append(path).Append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        var bytes = new List<byte>(Encoding.ASCII.GetBytes(head.ToString()));
        foreach (var (name, value) in headers)
        {
            // Header values go out as UTF-8 bytes, exactly as given (control bytes included).
            bytes.AddRange(Encoding.UTF8.GetBytes(name + ": " + value + "\r\n"));
        }

        bytes.AddRange("Connection: close\r\n\r\n"u8.ToArray());
        return await SendBytesAsync(port, [.. bytes], timeout);
    }

    public static async Task<RawResponse> SendBytesAsync(int port, byte[] request, TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port, cancel.Token);
        var stream = client.GetStream();
        await stream.WriteAsync(request, cancel.Token);
        using var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, cancel.Token)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (IOException) when (received.Length > 0)
        {
            // The server reset the connection after answering (it may not read an oversized request to its end).
        }

        return RawResponse.Parse(received.ToArray());
    }
}

/// <summary>A parsed raw answer: status, header lines in order, body text.</summary>
public sealed record RawResponse(int Status, IReadOnlyList<(string Name, string Value)> Headers, string Body, string Raw)
{
    public static RawResponse Parse(byte[] bytes)
    {
        var text = Encoding.Latin1.GetString(bytes);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0)
        {
            throw new InvalidOperationException($"incomplete HTTP answer ({bytes.Length} bytes): {text}");
        }

        var lines = text[..end].Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = lines.Skip(1).Select(line =>
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            return (line[..colon], line[(colon + 1)..].Trim());
        }).ToList();
        return new RawResponse(status, headers, text[(end + 4)..], text);
    }

    public IEnumerable<string> Values(string name) =>
        Headers.Where(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value);

    /// <summary>Every header whose name starts with Access-Control-.</summary>
    public IReadOnlyList<string> CorsHeaders =>
        [.. Headers.Where(h => h.Name.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase)).Select(h => $"{h.Name}: {h.Value}")];
}

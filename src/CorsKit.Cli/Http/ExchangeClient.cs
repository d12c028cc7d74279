using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Authentication;

namespace CorsKit.Cli.Http;

/// <summary>
/// Sends requests exactly as given: no cookies, no automatic redirects, no added headers beyond what HTTP requires
/// (Host, and Content-Length for a body), so what is printed is what went on the wire.
/// </summary>
internal sealed class ExchangeClient : IDisposable
{
    public const int BodyExcerptLength = 2000;

    private readonly HttpClient _client;
    private readonly TimeSpan _timeout;

    public ExchangeClient(TimeSpan timeout, bool insecure)
    {
        _timeout = timeout;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = timeout,
        };
        if (insecure)
        {
            // --insecure: the user asked to accept a self-signed or otherwise untrusted certificate.
#pragma warning disable CA5359
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
        }

        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public async Task<HttpExchange> SendAsync(string kind, string method, Uri url, IReadOnlyList<KeyValuePair<string, string>> headers, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        foreach (var (name, value) in headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content ??= new ByteArrayContent([]);
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            var responseHeaders = Lines(response.Headers).Concat(Lines(response.Content.Headers)).ToList();
            var body = await ReadExcerptAsync(response, timeout.Token).ConfigureAwait(false);
            return new HttpExchange(kind, method, url.ToString(), headers, (int)response.StatusCode, response.ReasonPhrase ?? string.Empty, response.Version.ToString(), responseHeaders, body);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new NetworkException($"timed out after {_timeout.TotalSeconds:0.#} s waiting for {url.GetLeftPart(UriPartial.Authority)} (raise --timeout)");
        }
        catch (HttpRequestException ex)
        {
            throw new NetworkException(Describe(ex, url), ex);
        }
    }

    private static IEnumerable<KeyValuePair<string, string>> Lines(HttpHeaders headers)
    {
        foreach (var header in headers.NonValidated)
        {
            foreach (var value in header.Value)
            {
                yield return new(header.Key, value);
            }
        }
    }

    private static async Task<string> ReadExcerptAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[BodyExcerptLength * 2];
            var read = 0;
            int n;
            while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false)) > 0)
            {
                read += n;
            }

            var text = System.Text.Encoding.UTF8.GetString(buffer, 0, read);
            return text.Length > BodyExcerptLength ? text[..BodyExcerptLength] : text;
        }
    }

    private static string Describe(HttpRequestException ex, Uri url)
    {
        var host = url.GetLeftPart(UriPartial.Authority);
        for (Exception? inner = ex; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case SocketException { SocketErrorCode: SocketError.ConnectionRefused }:
                    return $"connection refused: nothing is listening at {host}";
                case SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain }:
                    return $"DNS lookup failed: cannot resolve {url.Host}";
                case SocketException { SocketErrorCode: SocketError.TimedOut }:
                    return $"timed out connecting to {host}";
                case AuthenticationException auth:
                    return $"TLS handshake with {host} failed: {auth.Message} (use --insecure for a self-signed certificate)";
            }
        }

        return ex.HttpRequestError switch
        {
            HttpRequestError.NameResolutionError => $"DNS lookup failed: cannot resolve {url.Host}",
            HttpRequestError.ConnectionError => $"cannot connect to {host}: {ex.Message}",
            HttpRequestError.SecureConnectionError => $"TLS handshake with {host} failed (use --insecure for a self-signed certificate)",
            _ => $"request to {host} failed: {ex.Message}",
        };
    }

    public void Dispose() => _client.Dispose();
}

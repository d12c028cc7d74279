using CorsKit.Browser;

namespace CorsKit.Demo.Playground;

/// <summary>One request as the server received it and the response exactly as it went out (headers Kestrel added included).</summary>
/// <param name="Sequence">The order of arrival within its run, from 0.</param>
/// <param name="ReceivedAt">When the request arrived.</param>
/// <param name="Method">The method on the wire (before CorsKit routes a preflight as its actual request).</param>
/// <param name="Url">The absolute URL, with the host the browser sent.</param>
/// <param name="RequestHeaders">The request's header lines.</param>
/// <param name="Status">The response status.</param>
/// <param name="ResponseHeaders">The response's header lines, one per value.</param>
public sealed record RecordedExchange(
    int Sequence,
    DateTimeOffset ReceivedAt,
    string Method,
    string Url,
    IReadOnlyList<HeaderField> RequestHeaders,
    int Status,
    IReadOnlyList<HeaderField> ResponseHeaders)
{
    /// <summary>Whether this is a CORS preflight: OPTIONS with <c>Access-Control-Request-Method</c>.</summary>
    public bool IsPreflight => Method == "OPTIONS" && RequestHeader("Access-Control-Request-Method") is not null;

    /// <summary>The response as the browser model takes it.</summary>
    public BrowserResponse Response => new(Status, new ResponseHeaders(ResponseHeaders));

    /// <summary>A request header's value (several lines joined by <c>", "</c>), or <see langword="null"/>.</summary>
    /// <param name="name">The header name, in any case.</param>
    public string? RequestHeader(string name)
    {
        var values = RequestHeaders.Where(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).ToList();
        return values.Count == 0 ? null : string.Join(", ", values);
    }
}

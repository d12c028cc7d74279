namespace CorsKit.RealBrowsers.Tests.SignalR;

/// <summary>A request as the hub's server saw it, with the response headers it sent (read once the response completed).</summary>
/// <param name="Method">The request method.</param>
/// <param name="Path">The path.</param>
/// <param name="Query">The query string, with its <c>?</c>.</param>
/// <param name="RequestHeaders">The request's <c>Origin</c> and <c>Access-Control-Request-*</c> headers.</param>
/// <param name="Status">The response status.</param>
/// <param name="CorsHeaders">The response's <c>Access-Control-*</c> and <c>Vary</c> headers, by name.</param>
public sealed record RecordedExchange(
    string Method,
    string Path,
    string Query,
    IReadOnlyDictionary<string, string> RequestHeaders,
    int Status,
    IReadOnlyDictionary<string, string> CorsHeaders);

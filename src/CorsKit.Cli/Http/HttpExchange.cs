namespace CorsKit.Cli.Http;

/// <summary>One request the tool sent and the response it got, as printed (like <c>curl -i</c>) and reported in JSON.</summary>
/// <param name="Kind">What the request was for: <c>preflight</c>, <c>actual</c> or <c>probe</c>.</param>
/// <param name="Method">The method sent.</param>
/// <param name="Url">The URL requested.</param>
/// <param name="RequestHeaders">The headers sent, in order.</param>
/// <param name="Status">The response status.</param>
/// <param name="Reason">The reason phrase.</param>
/// <param name="Version">The HTTP version, such as <c>1.1</c>.</param>
/// <param name="ResponseHeaders">The headers received, one entry per line, in order.</param>
/// <param name="Body">The start of the body (at most <see cref="ExchangeClient.BodyExcerptLength"/> characters), or empty.</param>
internal sealed record HttpExchange(
    string Kind,
    string Method,
    string Url,
    IReadOnlyList<KeyValuePair<string, string>> RequestHeaders,
    int Status,
    string Reason,
    string Version,
    IReadOnlyList<KeyValuePair<string, string>> ResponseHeaders,
    string Body);

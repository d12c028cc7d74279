namespace CorsKit.RealBrowsers.Tests.Matrix;

/// <summary>What a page's script got: the response (status, body, readable headers) or the error it caught.</summary>
/// <param name="Ok">Whether script got a response (any status) rather than an error.</param>
/// <param name="Status">The status (0 on error).</param>
/// <param name="Body">The body text, or <see langword="null"/> on error.</param>
/// <param name="Error">The error as <c>name: message</c>, such as <c>TypeError: Failed to fetch</c>.</param>
/// <param name="Redirected">Whether the response came through a redirect.</param>
/// <param name="HeaderNames">The response header names script can see, lower-cased and sorted.</param>
/// <param name="Reads">The values of the asked-for headers (<see langword="null"/>: not readable).</param>
public sealed record BrowserResult(
    bool Ok,
    int Status,
    string? Body,
    string? Error,
    bool Redirected,
    IReadOnlyList<string> HeaderNames,
    IReadOnlyDictionary<string, string?> Reads);

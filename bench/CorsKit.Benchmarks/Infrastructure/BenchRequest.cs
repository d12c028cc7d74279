namespace CorsKit.Benchmarks.Infrastructure;

/// <summary>
/// The request a scenario sends. Every string is created once, before measuring, as Kestrel hands the app strings it
/// has already parsed (and, with its default string reuse, the same instance for a repeated header value).
/// </summary>
public sealed record BenchRequest(
    string Method,
    string Path,
    string? Origin = null,
    string? AccessControlRequestMethod = null,
    string? AccessControlRequestHeaders = null)
{
    public static BenchRequest Get(string path, string? origin) => new("GET", path, origin);

    public static BenchRequest Preflight(string path, string origin, string method, string? headers) =>
        new("OPTIONS", path, origin, method, headers);
}

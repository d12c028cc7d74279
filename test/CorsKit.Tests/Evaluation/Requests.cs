using CorsKit.Evaluation;

namespace CorsKit.Tests.Evaluation;

/// <summary>The requests the tests send: an actual request or a preflight, as a browser would.</summary>
internal static class Requests
{
    public static CorsRequest Actual(string? origin, string method = "GET") => new(method, origin);

    public static CorsRequest Preflight(string? origin, string method, string? headers = null, bool privateNetwork = false) =>
        new("OPTIONS", origin, method, headers, privateNetwork);
}

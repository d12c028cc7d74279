using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace CorsKit.AspNetCore;

/// <summary>What makes a request a CORS preflight, decided in one place for routing and for the response.</summary>
internal static class CorsPreflight
{
    /// <summary>
    /// An <c>OPTIONS</c> request with <c>Origin</c> and a non-empty <c>Access-Control-Request-Method</c> (Fetch,
    /// "CORS-preflight request"; the same test ASP.NET Core's routing applies).
    /// </summary>
    public static bool Is(HttpRequest request) =>
        HttpMethods.IsOptions(request.Method)
        && request.Headers.Origin.Count > 0
        && !StringValues.IsNullOrEmpty(request.Headers.AccessControlRequestMethod);
}

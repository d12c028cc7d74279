using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing.Matching;

namespace CorsKit.AspNetCore.Preflights;

/// <summary>
/// The routing decision of <see cref="PreflightMatcherPolicy"/> for one path: a preflight goes where its
/// <c>Access-Control-Request-Method</c> leads, anything else on to the path's endpoints.
/// </summary>
internal sealed class PreflightJumpTable(
    int notPreflight,
    string[] methods,
    Endpoint? methodNotAllowed,
    Dictionary<string, int> preflightByMethod,
    int otherPreflight) : PolicyJumpTable
{
    /// <summary>The key under which the policy endpoint of a path is noted when its actual request will get a 405.</summary>
    public static readonly object MethodNotAllowedKey = new();

    public override int GetDestination(HttpContext httpContext)
    {
        var request = httpContext.Request;
        if (CorsPreflight.Is(request))
        {
            return preflightByMethod.TryGetValue(request.Headers.AccessControlRequestMethod.ToString(), out var destination) ? destination : otherPreflight;
        }

        if (methodNotAllowed is not null && !Accepts(request.Method))
        {
            // Routing will answer 405 (or another policy rejects it): note the path's policy for its CORS headers.
            httpContext.Items[MethodNotAllowedKey] = methodNotAllowed;
        }

        return notPreflight;
    }

    private bool Accepts(string method)
    {
        foreach (var accepted in methods)
        {
            if (HttpMethods.Equals(accepted, method))
            {
                return true;
            }
        }

        return false;
    }
}

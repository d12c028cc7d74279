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
    (string Method, int Destination)[] preflightByMethod,
    int otherPreflight) : PolicyJumpTable
{
    /// <summary>The key under which the policy endpoint of a path is noted when its actual request will get a 405.</summary>
    public static readonly object MethodNotAllowedKey = new();

    public override int GetDestination(HttpContext httpContext)
    {
        var request = httpContext.Request;
        if (CorsPreflight.Is(request))
        {
            // A path has a handful of methods: a scan beats hashing the header's value.
            var method = request.Headers.AccessControlRequestMethod.ToString();
            foreach (var (accepted, destination) in preflightByMethod)
            {
                if (HttpMethods.Equals(accepted, method))
                {
                    return destination;
                }
            }

            return otherPreflight;
        }

        if (methodNotAllowed is not null && !Accepts(request.Method))
        {
            // Routing will answer 405 (or another policy rejects it): note the path's policy for its CORS headers.
            // Only the first note counts: an error page re-running the pipeline must not replace the path's.
            httpContext.Items.TryAdd(MethodNotAllowedKey, methodNotAllowed);
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

using CorsKit.Browser;

namespace CorsKit.Cli.Explain;

/// <summary>What a failed CORS check means and what usually causes it.</summary>
internal sealed record Explanation(string Meaning, IReadOnlyList<string> Causes)
{
    public static Explanation For(CorsFailure failure, bool onPreflight) => failure switch
    {
        CorsFailure.MissingAllowOrigin => new(
            onPreflight
                ? "The answer to the OPTIONS preflight had no Access-Control-Allow-Origin, so the browser never sent the request itself."
                : "The response had no Access-Control-Allow-Origin, so the browser hid it from the script (the request did reach the server).",
            [
                "The server failed: a 500 (or a proxy's 502/504, or authentication's 401) written without CORS headers. The browser reports CORS, not the error: look at the status in the Network panel, or run corskit check / curl -i.",
                "The page's origin is not in the allowed list: refusing is done by sending no CORS headers.",
                "CORS is not configured for this route, or its middleware does not run for it (registered after the endpoint or after authentication, or on another branch).",
                onPreflight ? "Nothing answers OPTIONS for this URL (a 404 or 405 without headers)." : "A proxy or CDN in front strips or never forwards the header.",
            ]),
        CorsFailure.MultipleAllowOriginValues => new(
            "Access-Control-Allow-Origin arrived twice (or as a list); a browser accepts exactly one origin, so it refuses both.",
            [
                "Two layers set it: the handler (resp.headers['Access-Control-Allow-Origin'] = ...) and a CORS middleware, or the app and nginx/a gateway.",
                "The server sends the whole allow-list (a, b) instead of echoing the one matching origin.",
            ]),
        CorsFailure.InvalidAllowOrigin => new(
            "Access-Control-Allow-Origin holds something that is not an origin, so it can match nothing.",
            ["The value has a path, a trailing slash or spaces; or it is a host without a scheme."]),
        CorsFailure.AllowOriginMismatch => new(
            "Access-Control-Allow-Origin names a different origin than the page's, so the browser refuses.",
            [
                "The server sends one fixed origin (production's) while the page runs elsewhere (localhost, staging, another port).",
                "Scheme, host, port or a trailing slash differ: the comparison is exact.",
                "A shared cache served a response made for another origin because the server omitted Vary: Origin.",
            ]),
        CorsFailure.WildcardOriginWithCredentials => new(
            "The request sends credentials (cookies, HTTP auth) and the server answered Access-Control-Allow-Origin: *, which browsers refuse for credentialed requests.",
            ["The policy allows any origin and the front-end uses credentials: 'include' (or withCredentials); echo the specific allowed origin instead, with Vary: Origin."]),
        CorsFailure.InvalidAllowCredentials => new(
            "The request sends credentials and the response lacks Access-Control-Allow-Credentials: true (exactly, lower case).",
            ["Credentials are not enabled in the server's CORS policy.", "The header is sent as True or 1, which the exact comparison rejects."]),
        CorsFailure.PreflightInvalidStatus => new(
            "The OPTIONS preflight was answered with a status outside 200-299, so the browser never sent the request.",
            [
                "Authentication or authorization runs before CORS and answers OPTIONS with 401/403 (preflights never carry credentials).",
                "No route answers OPTIONS (404/405) because CORS middleware is missing or registered too late.",
                "The server failed while answering the preflight (500).",
            ]),
        CorsFailure.PreflightRedirect => new(
            "The OPTIONS preflight was redirected; browsers never follow a redirect of a preflight.",
            ["HTTP to HTTPS redirection, a trailing-slash redirect, or a login redirect runs before CORS answers; call the final URL or let CORS answer first."]),
        CorsFailure.InvalidAllowMethodsPreflightResponse => new(
            "Access-Control-Allow-Methods is not a comma-separated list of method names, so the browser refuses the whole preflight.",
            ["Methods separated by spaces (GET POST) or with stray characters."]),
        CorsFailure.InvalidAllowHeadersPreflightResponse => new(
            "Access-Control-Allow-Headers is not a comma-separated list of header names, so the browser refuses the whole preflight.",
            ["Names separated by spaces, or with stray characters."]),
        CorsFailure.MethodDisallowedByPreflightResponse => new(
            "The preflight's Access-Control-Allow-Methods does not list the request's method.",
            ["The method is missing from the policy.", "Case differs: method names compare case-sensitively, and fetch() upper-cases only DELETE, GET, HEAD, OPTIONS, POST and PUT (patch stays patch)."]),
        CorsFailure.HeaderDisallowedByPreflightResponse => new(
            "The preflight's Access-Control-Allow-Headers does not list a header the request sets.",
            ["A custom header (X-Token, Authorization) is not in the policy.", "Content-Type: application/json is not CORS-safelisted, so content-type must be allowed explicitly."]),
        _ => new("The browser could not complete the request at all (no HTTP response).", ["DNS, a refused connection, TLS, or a blocked port: the server was never reached."]),
    };
}

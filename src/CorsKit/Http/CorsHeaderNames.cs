namespace CorsKit.Http;

/// <summary>The header names CORS reads and writes (WHATWG Fetch, section 3.2.3).</summary>
public static class CorsHeaderNames
{
    /// <summary><c>Origin</c>.</summary>
    public const string Origin = "Origin";

    /// <summary><c>Access-Control-Request-Method</c>.</summary>
    public const string AccessControlRequestMethod = "Access-Control-Request-Method";

    /// <summary><c>Access-Control-Request-Headers</c>.</summary>
    public const string AccessControlRequestHeaders = "Access-Control-Request-Headers";

    /// <summary><c>Access-Control-Request-Private-Network</c> (the abandoned Private Network Access preflight).</summary>
    public const string AccessControlRequestPrivateNetwork = "Access-Control-Request-Private-Network";

    /// <summary><c>Access-Control-Allow-Origin</c>.</summary>
    public const string AccessControlAllowOrigin = "Access-Control-Allow-Origin";

    /// <summary><c>Access-Control-Allow-Credentials</c>.</summary>
    public const string AccessControlAllowCredentials = "Access-Control-Allow-Credentials";

    /// <summary><c>Access-Control-Allow-Methods</c>.</summary>
    public const string AccessControlAllowMethods = "Access-Control-Allow-Methods";

    /// <summary><c>Access-Control-Allow-Headers</c>.</summary>
    public const string AccessControlAllowHeaders = "Access-Control-Allow-Headers";

    /// <summary><c>Access-Control-Expose-Headers</c>.</summary>
    public const string AccessControlExposeHeaders = "Access-Control-Expose-Headers";

    /// <summary><c>Access-Control-Max-Age</c>.</summary>
    public const string AccessControlMaxAge = "Access-Control-Max-Age";

    /// <summary><c>Access-Control-Allow-Private-Network</c>.</summary>
    public const string AccessControlAllowPrivateNetwork = "Access-Control-Allow-Private-Network";

    /// <summary><c>Vary</c>.</summary>
    public const string Vary = "Vary";
}

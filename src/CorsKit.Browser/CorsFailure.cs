namespace CorsKit.Browser;

/// <summary>
/// Why a browser blocks a cross-origin response: the CORS check (Fetch, section 4.9) and the CORS-preflight fetch
/// (section 4.8). Names follow Chromium's <c>network::mojom::CorsError</c>.
/// </summary>
public enum CorsFailure
{
    /// <summary>No failure: the check passed.</summary>
    None,

    /// <summary>No <c>Access-Control-Allow-Origin</c> header.</summary>
    MissingAllowOrigin,

    /// <summary><c>Access-Control-Allow-Origin</c> is not the origin and contains a space or comma (two header lines read <c>a, a</c>).</summary>
    MultipleAllowOriginValues,

    /// <summary><c>Access-Control-Allow-Origin</c> is not the origin and is not a URL at all.</summary>
    InvalidAllowOrigin,

    /// <summary><c>Access-Control-Allow-Origin</c> is a single value other than the origin (case and trailing slash count).</summary>
    AllowOriginMismatch,

    /// <summary><c>Access-Control-Allow-Origin: *</c> on a request whose credentials mode is <c>include</c>.</summary>
    WildcardOriginWithCredentials,

    /// <summary>Credentials mode <c>include</c> and <c>Access-Control-Allow-Credentials</c> is not exactly <c>true</c>.</summary>
    InvalidAllowCredentials,

    /// <summary>The preflight's status is not 200 to 299.</summary>
    PreflightInvalidStatus,

    /// <summary>The preflight was answered with a redirect.</summary>
    PreflightRedirect,

    /// <summary><c>Access-Control-Allow-Methods</c> is not a comma-separated list of tokens (such as <c>GET POST</c>).</summary>
    InvalidAllowMethodsPreflightResponse,

    /// <summary><c>Access-Control-Allow-Headers</c> is not a comma-separated list of tokens.</summary>
    InvalidAllowHeadersPreflightResponse,

    /// <summary>The method is not safelisted, not listed (case-sensitive) and not covered by <c>*</c>.</summary>
    MethodDisallowedByPreflightResponse,

    /// <summary>A CORS-unsafe request header is not listed (case-insensitive) and not covered by <c>*</c>.</summary>
    HeaderDisallowedByPreflightResponse,
}

namespace CorsKit.Browser;

/// <summary>A response as the browser receives it: a status and header lines (the body does not matter to CORS).</summary>
/// <param name="Status">The HTTP status code, such as 200 or 204.</param>
/// <param name="Headers">The header lines.</param>
public sealed record BrowserResponse(int Status, ResponseHeaders Headers)
{
    /// <summary>Whether the status is an ok status, 200 to 299 (Fetch, section 2.2.3).</summary>
    public bool IsOk => Status is >= 200 and <= 299;

    /// <summary>
    /// Whether the browser follows this response as a redirect: a redirect status (301, 302, 303, 307, 308)
    /// with a <c>Location</c> header (Fetch, section 4.4 "HTTP fetch"). A 3xx without <c>Location</c> is an ordinary response.
    /// </summary>
    public bool IsRedirect => Status is 301 or 302 or 303 or 307 or 308 && Location is not null;

    /// <summary>The <c>Location</c> value, or <see langword="null"/>.</summary>
    public string? Location => Headers.Get("Location");

    /// <summary>Creates a response from a status and name/value pairs.</summary>
    /// <param name="status">The HTTP status code.</param>
    /// <param name="headers">The header lines, in order.</param>
    public static BrowserResponse Of(int status, params (string Name, string Value)[] headers) => new(status, ResponseHeaders.Of(headers));
}

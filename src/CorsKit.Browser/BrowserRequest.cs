namespace CorsKit.Browser;

/// <summary>
/// A request as a page's script makes it: the facts the browser decides CORS on (Fetch, section 2.2.5 "Requests").
/// </summary>
/// <param name="Url">The absolute URL requested, such as <c>https://api.example.com/items</c>.</param>
/// <param name="Origin">The page's serialized origin, such as <c>https://app.example.com</c>, or <c>null</c> for an opaque origin (sandboxed frame, <c>file:</c> page).</param>
public sealed record BrowserRequest(string Url, string Origin)
{
    /// <summary>The method as the script wrote it (<c>"patch"</c> stays lower case; see <see cref="Safelist.NormalizeMethod"/>). Default <c>GET</c>.</summary>
    public string Method { get; init; } = "GET";

    /// <summary>The request headers as the script set them, in order; duplicates and forbidden names allowed. Default none.</summary>
    public IReadOnlyList<HeaderField> Headers { get; init; } = [];

    /// <summary>The credentials mode. Default <see cref="CredentialsMode.SameOrigin"/>, as for <c>fetch()</c> and XHR without <c>withCredentials</c>.</summary>
    public CredentialsMode Credentials { get; init; } = CredentialsMode.SameOrigin;

    /// <summary>Which API made the request. Default <see cref="RequestInitiator.Fetch"/>.</summary>
    public RequestInitiator Initiator { get; init; } = RequestInitiator.Fetch;

    /// <summary>Whether an XHR has listeners on <c>xhr.upload</c>, which forces a preflight (XHR standard, <c>send()</c>). Default <see langword="false"/>.</summary>
    public bool HasUploadListeners { get; init; }

    /// <summary>After a redirect: the URL the script first requested (Chromium prints <c>(redirected from '…')</c>). Default <see langword="null"/>.</summary>
    public string? RedirectedFrom { get; init; }

    /// <summary>
    /// Whether a cross-origin redirect tainted the origin, so the browser sends <c>Origin: null</c> and matches
    /// <c>Access-Control-Allow-Origin</c> against <c>null</c> (Fetch, section 4.4 "HTTP-redirect fetch"). Default <see langword="false"/>.
    /// </summary>
    public bool OriginTainted { get; init; }
}

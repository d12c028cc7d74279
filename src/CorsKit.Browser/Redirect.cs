namespace CorsKit.Browser;

/// <summary>How a browser turns a redirect into the next request (Fetch, section 4.4 "HTTP-redirect fetch").</summary>
internal static class Redirect
{
    private static readonly string[] RequestBodyHeaders = ["content-encoding", "content-language", "content-location", "content-type"];

    public static BrowserRequest Follow(BrowserRequest request, BrowserResponse redirect)
    {
        var current = BrowserUrl.Parse(request.Url, nameof(request));
        var location = new Uri(current, redirect.Location!);
        var method = Safelist.NormalizeMethod(request.Method);

        // Step 12: 301/302 turn POST into GET; 303 turns anything but GET and HEAD into GET, and the body headers go.
        var toGet = (redirect.Status is 301 or 302 && method == "POST") || (redirect.Status == 303 && method is not ("GET" or "HEAD"));
        var headers = toGet
            ? [.. request.Headers.Where(h => !RequestBodyHeaders.Contains(h.Name, StringComparer.OrdinalIgnoreCase))]
            : request.Headers;

        // Step 11: leaving the current URL's origin, when the request's origin is not that origin either, taints the origin.
        var currentOrigin = BrowserUrl.OriginOf(current);
        var tainted = request.OriginTainted
            || (BrowserUrl.OriginOf(location) != currentOrigin && BrowserUrl.SerializeOrigin(request.Origin) != currentOrigin);

        return request with
        {
            Url = location.AbsoluteUri,
            Method = toGet ? "GET" : request.Method,
            Headers = headers,
            RedirectedFrom = request.RedirectedFrom ?? request.Url,
            OriginTainted = tainted,
        };
    }
}

using CorsKit.Origins;

namespace CorsKit.Browser;

/// <summary>URLs as a browser prints and compares them (URL standard serialization, approximated by <see cref="Uri"/>).</summary>
internal static class BrowserUrl
{
    /// <summary>Parses an absolute http(s) URL, throwing <see cref="ArgumentException"/> naming <paramref name="paramName"/>.</summary>
    public static Uri Parse(string url, string paramName)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"\"{url}\" is not an absolute http or https URL", paramName);
        }

        return uri;
    }

    /// <summary>The URL as Chromium prints it in a console message: <c>http://example.com</c> becomes <c>http://example.com/</c>.</summary>
    public static string Serialize(string url) => Parse(url, nameof(url)).AbsoluteUri;

    /// <summary>The serialized origin of a URL.</summary>
    public static string OriginOf(Uri uri)
    {
        var host = uri.HostNameType == UriHostNameType.IPv6 ? uri.Host : uri.IdnHost;
        return Origin.Parse($"{uri.Scheme}://{host}:{uri.Port}").Serialized;
    }

    /// <summary>
    /// The page origin serialized as the browser sends it in <c>Origin</c>: <c>null</c> stays <c>null</c>, anything else is
    /// normalized (<c>HTTPS://App.Example.com:443</c> becomes <c>https://app.example.com</c>).
    /// </summary>
    public static string SerializeOrigin(string origin)
    {
        if (string.Equals(origin, Origin.Null, StringComparison.Ordinal))
        {
            return Origin.Null;
        }

        return Origin.TryParse(origin, out var parsed, out var error)
            ? parsed.Serialized
            : throw new ArgumentException($"the page origin is invalid: {error}", nameof(origin));
    }
}

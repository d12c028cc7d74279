using CorsKit.Http;

namespace CorsKit.Browser;

/// <summary>
/// The comma-separated token lists of <c>Access-Control-Allow-Methods</c> and <c>-Headers</c> (Fetch, section 3.2.2
/// "HTTP new-header syntax"), parsed as Chromium does: elements trimmed, empty ones skipped, and one non-token element
/// (such as <c>GET POST</c>) fails the whole list.
/// </summary>
internal static class TokenList
{
    /// <summary>Parses <paramref name="value"/>; an absent header is an empty list.</summary>
    public static bool TryParse(string? value, bool lowerCase, out IReadOnlyList<string> items)
    {
        var list = new List<string>();
        items = list;
        if (value is null)
        {
            return true;
        }

        foreach (var part in value.Split(','))
        {
            var item = HttpSyntax.TrimOws(part);
            if (item.IsEmpty)
            {
                continue;
            }

            if (!HttpSyntax.IsToken(item))
            {
                items = [];
                return false;
            }

            list.Add(lowerCase ? item.ToString().ToLowerInvariant() : item.ToString());
        }

        return true;
    }
}

using CorsKit.Http;

namespace CorsKit.Browser;

/// <summary>The strict part of the MIME Sniffing standard's "parse a MIME type" (section 4.4): type and subtype.</summary>
internal static class MimeType
{
    /// <summary>
    /// Parses the essence (<c>type/subtype</c>, lower-cased) of a MIME type. Type and subtype must be non-empty tokens;
    /// parameters never make the parse fail (bad ones are skipped), so <c>text/plain;garbage</c> parses as <c>text/plain</c>.
    /// </summary>
    /// <param name="value">A <c>Content-Type</c> value.</param>
    /// <param name="essence">The lower-cased essence, when the value parses.</param>
    public static bool TryParseEssence(string value, out string essence)
    {
        essence = string.Empty;

        // Step 1: strip leading and trailing HTTP whitespace (tab, LF, CR, space).
        var input = value.AsSpan().Trim("\t\n\r ");

        // Steps 2-5: the type runs up to '/', and must be a non-empty token with a '/' after it.
        var slash = input.IndexOf('/');
        if (slash <= 0 || !HttpSyntax.IsToken(input[..slash]))
        {
            return false;
        }

        // Steps 6-9: the subtype runs up to ';', trailing whitespace removed, and must be a non-empty token.
        var rest = input[(slash + 1)..];
        var semicolon = rest.IndexOf(';');
        var subtype = (semicolon < 0 ? rest : rest[..semicolon]).TrimEnd("\t\n\r ");
        if (!HttpSyntax.IsToken(subtype))
        {
            return false;
        }

        essence = string.Concat(input[..slash], "/", subtype).ToLowerInvariant();
        return true;
    }
}

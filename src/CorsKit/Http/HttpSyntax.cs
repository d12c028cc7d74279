namespace CorsKit.Http;

/// <summary>The few pieces of HTTP grammar (RFC 9110) that CORS needs: tokens and comma-separated token lists.</summary>
internal static class HttpSyntax
{
    private const string TokenSymbols = "!#$%&'*+-.^_`|~";

    /// <summary>Whether <paramref name="c"/> is a tchar (RFC 9110 section 5.6.2).</summary>
    public static bool IsTokenChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || (c < 128 && TokenSymbols.Contains(c, StringComparison.Ordinal));

    /// <summary>Whether <paramref name="value"/> is a non-empty token.</summary>
    public static bool IsToken(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!IsTokenChar(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Trims optional white space (space and horizontal tab) from both ends.</summary>
    public static ReadOnlySpan<char> TrimOws(ReadOnlySpan<char> value) => value.Trim(" \t");
}

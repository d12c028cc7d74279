using System.Buffers;

namespace CorsKit.Http;

/// <summary>The few pieces of HTTP grammar (RFC 9110) that CORS needs: tokens and comma-separated token lists.</summary>
internal static class HttpSyntax
{
    // tchar (RFC 9110 section 5.6.2): letters, digits and these symbols. A vectorised set: preflights check every name.
    private static readonly SearchValues<char> TokenChars =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    /// <summary>Whether <paramref name="c"/> is a tchar (RFC 9110 section 5.6.2).</summary>
    public static bool IsTokenChar(char c) => TokenChars.Contains(c);

    /// <summary>Whether <paramref name="value"/> is a non-empty token.</summary>
    public static bool IsToken(ReadOnlySpan<char> value) => !value.IsEmpty && !value.ContainsAnyExcept(TokenChars);

    /// <summary>Trims optional white space (space and horizontal tab) from both ends.</summary>
    public static ReadOnlySpan<char> TrimOws(ReadOnlySpan<char> value) => value.Trim(" \t");
}

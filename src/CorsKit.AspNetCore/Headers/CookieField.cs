using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace CorsKit.AspNetCore.Headers;

/// <summary>
/// Checks a cookie set in code (<c>Reply.WithCookie</c>, <c>Reply.DeleteCookie</c>) when it is set, as
/// <see cref="HeaderField"/> checks a header: the same message shape, naming the cookie and the first bad character.
/// </summary>
internal static class CookieField
{
    // Cookie attribute values (Path, extensions): any CHAR except CTLs or ';' (RFC 6265 section 4.1.1).
    private static readonly SearchValues<char> AttributeChars =
        SearchValues.Create(new string(Enumerable.Range(0x20, 0x7F - 0x20).Where(i => i != ';').Select(i => (char)i).ToArray()));

    private static readonly SearchValues<char> DomainChars =
        SearchValues.Create("-.0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    /// <summary>
    /// Throws <see cref="ArgumentException"/> naming the cookie and the first bad character when <c>Set-Cookie</c> could not
    /// carry it as given (RFC 6265 section 4.1.1). The value may be any text: ASP.NET Core percent-encodes it into
    /// cookie-octets and <c>Request.Cookies</c> decodes it, so only a lone surrogate, which it would replace with U+FFFD,
    /// is refused.
    /// </summary>
    public static void Validate(string name, string? value, CookieOptions? options)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);

        // cookie-name = token.
        var badInName = HeaderField.FirstNonTokenChar(name);
        if (badInName >= 0)
        {
            throw new ArgumentException($"\"{name}\" is not a cookie name: {HeaderField.Describe(name, badInName)}; a cookie name is a token such as session (RFC 6265 section 4.1.1)", nameof(name));
        }

        var badInValue = value is null ? -1 : FirstLoneSurrogate(value);
        if (badInValue >= 0)
        {
            throw new ArgumentException($"the value of cookie '{name}' has a lone surrogate ({HeaderField.Describe(value!, badInValue)}), which UTF-8 cannot encode; ASP.NET Core would send U+FFFD in its place", nameof(value));
        }

        if (options is null)
        {
            return;
        }

        // path-value and extension-av = <any CHAR except CTLs or ";">.
        var badInPath = options.Path is null ? -1 : options.Path.AsSpan().IndexOfAnyExcept(AttributeChars);
        if (badInPath >= 0)
        {
            throw new ArgumentException($"the path of cookie '{name}' has a ';', a control or a non-ASCII character ({HeaderField.Describe(options.Path!, badInPath)}), which would break its Set-Cookie header; a path is visible ASCII without ';' (RFC 6265 section 4.1.1)", nameof(options));
        }

        // domain-value = subdomain (RFC 1034 section 3.5): letters, digits, '-' and '.'; a leading '.' is ignored (RFC 6265 section 5.2.3).
        var badInDomain = options.Domain is null ? -1 : options.Domain.AsSpan().IndexOfAnyExcept(DomainChars);
        if (badInDomain >= 0)
        {
            throw new ArgumentException($"the domain of cookie '{name}' has a character a host name cannot have ({HeaderField.Describe(options.Domain!, badInDomain)}); a domain is letters, digits, '-' and '.' (RFC 6265 section 4.1.1), an international one in its xn-- form (IdnMapping)", nameof(options));
        }

        foreach (var extension in options.Extensions)
        {
            var bad = extension is null ? -1 : extension.AsSpan().IndexOfAnyExcept(AttributeChars);
            if (bad >= 0)
            {
                throw new ArgumentException($"an extension of cookie '{name}' has a ';', a control or a non-ASCII character ({HeaderField.Describe(extension!, bad)}), which would break its Set-Cookie header; an extension is visible ASCII without ';' (RFC 6265 section 4.1.1)", nameof(options));
            }
        }
    }

    private static int FirstLoneSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return i;
            }
        }

        return -1;
    }
}

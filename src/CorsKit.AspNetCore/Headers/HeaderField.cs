using System.Buffers;
using CorsKit.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace CorsKit.AspNetCore.Headers;

/// <summary>
/// Checks a response header set in code when it is set, so a bad name or value fails at the call that set it, not later
/// when Kestrel refuses to send the response.
/// </summary>
internal static class HeaderField
{
    // Visible ASCII, space and tab: what Kestrel sends without a custom response header encoding (RFC 9110 section 5.5).
    private static readonly SearchValues<char> ValueChars =
        SearchValues.Create("\t" + new string(Enumerable.Range(0x20, 0x7F - 0x20).Select(i => (char)i).ToArray()));

    /// <summary>Throws <see cref="ArgumentException"/> naming the header when its name or value cannot be sent.</summary>
    public static void Validate(string name, StringValues value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);

        // RFC 9110 section 5.1: a field name is a token.
        if (!HttpSyntax.IsToken(name))
        {
            throw new ArgumentException($"\"{name}\" is not a header name; a header name is a token such as X-Request-Id (RFC 9110 section 5.1)", nameof(name));
        }

        foreach (var part in value)
        {
            if (part is not null && part.AsSpan().ContainsAnyExcept(ValueChars))
            {
                throw new ArgumentException($"the value of header '{name}' has a line break, a control or a non-ASCII character, which Kestrel refuses to send; encode it (for example with Uri.EscapeDataString)", nameof(value));
            }
        }
    }

    /// <summary>Validates, then sets <paramref name="name"/> in <paramref name="headers"/> (replacing an earlier value, as Flask's <c>headers[name] = value</c>).</summary>
    public static void Set(IHeaderDictionary headers, string name, StringValues value)
    {
        Validate(name, value);
        headers[name] = value;
    }

    /// <summary>Validates and sets each pair, in order (the <c>WithHeaders(...)</c> of every result type).</summary>
    public static void SetAll(IHeaderDictionary headers, ReadOnlySpan<(string Name, string Value)> pairs)
    {
        foreach (var (name, value) in pairs)
        {
            Set(headers, name, value);
        }
    }

    /// <summary>Validates and sets each pair, in order.</summary>
    public static void SetAll(IHeaderDictionary headers, IEnumerable<KeyValuePair<string, string>> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        foreach (var (name, value) in pairs)
        {
            Set(headers, name, value);
        }
    }

    /// <summary>Copies every header of <paramref name="source"/> to the response's headers, replacing values of the same name.</summary>
    public static void CopyTo(IHeaderDictionary source, IHeaderDictionary target)
    {
        foreach (var (name, value) in source)
        {
            target[name] = value;
        }
    }
}

using System.Buffers;
using System.Globalization;
using CorsKit.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace CorsKit.AspNetCore.Headers;

/// <summary>
/// Checks a response header set in code when it is set, so a bad name or value fails at the call that set it, not later
/// when Kestrel refuses to send the response. Every entry point (<c>WithHeader</c>, <c>Headers[...]</c>, <c>ContentType</c>)
/// goes through <see cref="Validate"/>, so they all throw the same message.
/// </summary>
internal static class HeaderField
{
    // Visible ASCII, space and tab: what Kestrel sends without a custom response header encoding (RFC 9110 section 5.5).
    private static readonly SearchValues<char> ValueChars =
        SearchValues.Create("\t" + new string(Enumerable.Range(0x20, 0x7F - 0x20).Select(i => (char)i).ToArray()));

    /// <summary>Throws <see cref="ArgumentException"/> naming the header and the first bad character when the name or value cannot be sent.</summary>
    public static void Validate(string name, StringValues value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);

        // RFC 9110 section 5.1: a field name is a token.
        var badInName = FirstNonTokenChar(name);
        if (badInName >= 0)
        {
            throw new ArgumentException($"\"{name}\" is not a header name: {Describe(name, badInName)}; a header name is a token such as X-Request-Id (RFC 9110 section 5.1)", nameof(name));
        }

        for (var i = 0; i < value.Count; i++)
        {
            var part = value[i];
            var bad = part is null ? -1 : part.AsSpan().IndexOfAnyExcept(ValueChars);
            if (bad >= 0)
            {
                var where = value.Count == 1 ? Describe(part!, bad) : $"{Describe(part!, bad)} in value {i + 1} of {value.Count}";
                throw new ArgumentException($"the value of header '{name}' has a line break, a control or a non-ASCII character ({where}), which Kestrel refuses to send; encode it (for example with Uri.EscapeDataString)", nameof(value));
            }
        }
    }

    /// <summary>The index of the first character of <paramref name="text"/> that is not a tchar (RFC 9110 section 5.6.2), or -1.</summary>
    public static int FirstNonTokenChar(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (!HttpSyntax.IsTokenChar(text[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The character at <paramref name="index"/> as its code point and position: <c>U+000D at index 1</c>.</summary>
    public static string Describe(string text, int index) =>
        string.Create(CultureInfo.InvariantCulture, $"U+{(int)text[index]:X4} at index {index}");

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

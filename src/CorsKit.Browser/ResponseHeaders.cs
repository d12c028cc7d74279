using CorsKit.Http;

namespace CorsKit.Browser;

/// <summary>
/// The header lines of a response as a browser's network layer sees them: names compare case-insensitively,
/// each value is trimmed of spaces and tabs, and several lines of one name read as one value joined by <c>", "</c>
/// (Fetch, section 2.2.2 "get a header"; Chromium's <c>HttpResponseHeaders::GetNormalizedHeader</c>).
/// </summary>
public sealed class ResponseHeaders
{
    private readonly HeaderField[] _fields;

    /// <summary>Creates the header lines of a response, in the order the server sent them.</summary>
    /// <param name="fields">The header lines.</param>
    public ResponseHeaders(IEnumerable<HeaderField> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        _fields = [.. fields];
    }

    /// <summary>A response with no headers.</summary>
    public static ResponseHeaders Empty { get; } = new([]);

    /// <summary>The header lines, in order, exactly as given.</summary>
    public IReadOnlyList<HeaderField> Fields => _fields;

    /// <summary>Creates header lines from name/value pairs, such as <c>Of(("Access-Control-Allow-Origin", "*"))</c>.</summary>
    /// <param name="fields">The header lines, in order.</param>
    public static ResponseHeaders Of(params (string Name, string Value)[] fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        return new ResponseHeaders(fields.Select(f => new HeaderField(f.Name, f.Value)));
    }

    /// <summary>
    /// The value of <paramref name="name"/>: every line of that name trimmed and joined by <c>", "</c>,
    /// or <see langword="null"/> when there is none. Two <c>Access-Control-Allow-Origin</c> lines thus read <c>a, a</c>.
    /// </summary>
    /// <param name="name">The header name, in any case.</param>
    public string? Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string? combined = null;
        foreach (var field in _fields)
        {
            if (string.Equals(field.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                var value = HttpSyntax.TrimOws(field.Value).ToString();
                combined = combined is null ? value : combined + ", " + value;
            }
        }

        return combined;
    }

    /// <summary>How many lines named <paramref name="name"/> the response has (Firefox refuses two <c>Access-Control-Allow-Origin</c> lines by count).</summary>
    /// <param name="name">The header name, in any case.</param>
    public int CountLines(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _fields.Count(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Whether the response has at least one line named <paramref name="name"/>.</summary>
    /// <param name="name">The header name, in any case.</param>
    public bool Contains(string name) => CountLines(name) > 0;

    /// <summary>The distinct header names, lower-cased, in order of first appearance.</summary>
    public IReadOnlyList<string> Names => [.. _fields.Select(f => f.Name.ToLowerInvariant()).Distinct(StringComparer.Ordinal)];
}

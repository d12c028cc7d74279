namespace CorsKit.Browser;

/// <summary>
/// The step from the headers a script sets to the header list the network layer sees: values normalized,
/// forbidden headers dropped, and (as Chromium does) same-name values joined by <c>", "</c>.
/// </summary>
internal sealed class ScriptHeaders
{
    private ScriptHeaders(IReadOnlyList<HeaderField> headers, IReadOnlyList<string> dropped)
    {
        Headers = headers;
        Dropped = dropped;
    }

    /// <summary>The header list the browser sends, one entry per name, names as first written.</summary>
    public IReadOnlyList<HeaderField> Headers { get; }

    /// <summary>The names of the forbidden headers the browser dropped, as the script wrote them.</summary>
    public IReadOnlyList<string> Dropped { get; }

    public static ScriptHeaders Prepare(IEnumerable<HeaderField> scriptHeaders)
    {
        var combined = new List<HeaderField>();
        var dropped = new List<string>();
        foreach (var header in scriptHeaders)
        {
            // Fetch, section 5.2 "Headers class": a value is normalized (leading and trailing HTTP whitespace removed).
            var value = header.Value.AsSpan().Trim("\t\n\r ").ToString();
            if (Safelist.IsForbiddenRequestHeader(header.Name, value))
            {
                dropped.Add(header.Name);
                continue;
            }

            var index = combined.FindIndex(h => string.Equals(h.Name, header.Name, StringComparison.OrdinalIgnoreCase));
            if (index < 0)
            {
                combined.Add(header with { Value = value });
            }
            else
            {
                combined[index] = combined[index] with { Value = combined[index].Value + ", " + value };
            }
        }

        return new ScriptHeaders(combined, dropped);
    }
}

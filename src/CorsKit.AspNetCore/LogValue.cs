using System.Buffers;
using System.Text;

namespace CorsKit.AspNetCore;

/// <summary>Makes request-controlled text safe for logs and headers: control and non-ASCII characters are escaped as <c>\uXXXX</c>.</summary>
internal static class LogValue
{
    private const int MaxLength = 256;
    private static readonly SearchValues<char> Printable = SearchValues.Create(Enumerable.Range(0x20, 0x7F - 0x20).Select(i => (char)i).ToArray());

    /// <summary>The request's path, made safe (<c>/</c> when it has none), as every log line names it.</summary>
    public static string PathOf(Microsoft.AspNetCore.Http.HttpRequest request) => Safe(request.Path.Value) ?? "/";

    /// <summary>The value itself when it is short printable ASCII (no allocation), else an escaped, truncated copy.</summary>
    public static string? Safe(string? value)
    {
        if (value is null || (value.Length <= MaxLength && !value.AsSpan().ContainsAnyExcept(Printable)))
        {
            return value;
        }

        var builder = new StringBuilder(Math.Min(value.Length, MaxLength) + 16);
        foreach (var c in value.AsSpan(0, Math.Min(value.Length, MaxLength)))
        {
            if (Printable.Contains(c))
            {
                builder.Append(c);
            }
            else
            {
                builder.Append(@"\u").Append(((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        if (value.Length > MaxLength)
        {
            builder.Append("...(").Append(value.Length).Append(" chars)");
        }

        return builder.ToString();
    }
}

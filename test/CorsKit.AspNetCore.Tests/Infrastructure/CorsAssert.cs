namespace CorsKit.AspNetCore.Tests.Infrastructure;

/// <summary>Asserts the exact CORS-related headers of a response: every Access-Control-* header, Vary, and the debug header.</summary>
public static class CorsAssert
{
    private static readonly string[] Watched = ["Vary", "X-CorsKit-Reason"];

    /// <summary>The response carries exactly these CORS-related headers with these values (several lines joined by ", ").</summary>
    public static void Headers(HttpResponseMessage response, params (string Name, string Value)[] expected)
    {
        var actual = response.Headers
            .Where(h => h.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase) || Watched.Contains(h.Key, StringComparer.OrdinalIgnoreCase))
            .ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
        var wanted = expected.ToDictionary(e => e.Name, e => e.Value, StringComparer.OrdinalIgnoreCase);
        Assert.Equal(Format(wanted), Format(actual));
    }

    /// <summary>Exactly one line of <paramref name="name"/>.</summary>
    public static void SingleLine(HttpResponseMessage response, string name, string value)
    {
        Assert.True(response.Headers.TryGetValues(name, out var values), $"missing {name}");
        Assert.Equal([value], values.ToArray());
    }

    private static string Format(Dictionary<string, string> headers) =>
        string.Join("\n", headers.OrderBy(h => h.Key, StringComparer.OrdinalIgnoreCase).Select(h => $"{h.Key}: {h.Value}"));
}

namespace CorsKit.AspNetCore.Tests.Infrastructure;

/// <summary>Asserts every header of a response (response and content headers), not only the CORS ones.</summary>
public static class ResponseAssert
{
    // Set by the server itself and different on every run or server (TestServer or Kestrel).
    private static readonly string[] ServerHeaders = ["Date", "Server", "Transfer-Encoding"];

    /// <summary>The response carries exactly these headers with these values (several lines joined by ", "), and no other.</summary>
    public static void Headers(HttpResponseMessage response, params (string Name, string Value)[] expected)
    {
        // NonValidated: the values as they came over the wire (HttpClient would reformat Cache-Control, for one).
        var actual = response.Headers.NonValidated.Concat(response.Content.Headers.NonValidated)
            .Where(h => !ServerHeaders.Contains(h.Key, StringComparer.OrdinalIgnoreCase))
            .ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
        var wanted = expected.ToDictionary(e => e.Name, e => e.Value, StringComparer.OrdinalIgnoreCase);
        Assert.Equal(Format(wanted), Format(actual));
    }

    /// <summary>The status code and the exact body.</summary>
    public static async Task BodyAsync(HttpResponseMessage response, int status, string body)
    {
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(body, await response.Content.ReadAsStringAsync());
    }

    private static string Format(Dictionary<string, string> headers) =>
        string.Join("\n", headers.OrderBy(h => h.Key, StringComparer.OrdinalIgnoreCase).Select(h => $"{h.Key}: {h.Value}"));
}

using Microsoft.AspNetCore.Http;

namespace CorsKit.Benchmarks.Infrastructure;

/// <summary>Setup-time checks that a scenario's response is the intended one.</summary>
internal static class Expect
{
    public static void Status(HttpResponse response, int status, string scenario)
    {
        if (response.StatusCode != status)
        {
            throw new InvalidOperationException($"{scenario}: status {response.StatusCode}, expected {status}");
        }
    }

    public static void AllowOrigin(HttpResponse response, string? origin, string scenario)
    {
        var actual = response.Headers.AccessControlAllowOrigin;
        var value = actual.Count == 0 ? null : actual.ToString();
        if (!string.Equals(value, origin, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{scenario}: Access-Control-Allow-Origin '{value}', expected '{origin}'");
        }
    }

    public static void AllowOriginFor(Implementation implementation, HttpResponse response, string? origin, string scenario) =>
        AllowOrigin(response, implementation == Implementation.None ? null : origin, scenario);
}

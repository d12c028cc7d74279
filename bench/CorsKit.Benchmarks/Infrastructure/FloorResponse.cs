using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace CorsKit.Benchmarks.Infrastructure;

/// <summary>
/// CorsKit's answer to a scenario's request, recorded once before measuring: the status when CorsKit answers the request
/// itself (a preflight), and every response header CorsKit wrote (the scenarios' endpoints write none). The floor
/// (<see cref="FloorMiddleware"/>) sends exactly this, precomputed.
/// </summary>
public sealed class FloorResponse
{
    private FloorResponse(string origin, int? answeredStatus, IReadOnlyDictionary<string, StringValues> headers)
    {
        Origin = origin;
        AnsweredStatus = answeredStatus;
        Headers = headers;
    }

    /// <summary>The request's <c>Origin</c>; the floor answers only that origin.</summary>
    public string Origin { get; }

    /// <summary>The status CorsKit answered with itself (the preflight's 204), or null when the endpoint answered.</summary>
    public int? AnsweredStatus { get; }

    /// <summary>Every header of CorsKit's response, by name (case-insensitive).</summary>
    public IReadOnlyDictionary<string, StringValues> Headers { get; }

    /// <summary>Sends <paramref name="request"/> once through CorsKit's pipeline for <paramref name="setup"/> and records the answer.</summary>
    public static FloorResponse Record(CorsSetup setup, BenchRequest request)
    {
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(request);
        if (request.Origin is null)
        {
            throw new InvalidOperationException("the floor answers a CORS request; this scenario's request has no Origin");
        }

        using var corsKit = InProcessHost.Start(Implementation.CorsKit, setup);
        var response = corsKit.Send(request);

        // A preflight is answered by CorsKit itself; any other request by the endpoint, which answers 200.
        int? answered = request.AccessControlRequestMethod is null ? null : response.StatusCode;
        var headers = response.Headers.ToDictionary(h => h.Key, h => new StringValues(h.Value.ToArray()), StringComparer.OrdinalIgnoreCase);
        return new FloorResponse(request.Origin, answered, headers);
    }

    /// <summary>Throws unless <paramref name="response"/> has exactly the recorded status (when answered here) and headers.</summary>
    public void Verify(HttpResponse response, string scenario)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (AnsweredStatus is { } status)
        {
            Expect.Status(response, status, scenario + " (Floor)");
        }

        var actual = response.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var expected = Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        if (actual.Count != expected.Count || actual.Any(h => !expected.TryGetValue(h.Key, out var value) || value != h.Value))
        {
            throw new InvalidOperationException(
                $"{scenario} (Floor): headers [{Format(actual)}] differ from CorsKit's [{Format(expected)}]");
        }
    }

    private static string Format(Dictionary<string, string> headers) =>
        string.Join("; ", headers.OrderBy(h => h.Key, StringComparer.OrdinalIgnoreCase).Select(h => $"{h.Key}: {h.Value}"));
}

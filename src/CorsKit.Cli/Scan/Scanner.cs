using CorsKit.Cli.Http;

namespace CorsKit.Cli.Scan;

/// <summary>
/// Sends each probe and reads the answer: an echoed origin is a finding (critical with credentials), a <c>*</c> with
/// credentials is a finding, and an echo without <c>Vary: Origin</c> on a cacheable response is a finding.
/// </summary>
internal static class Scanner
{
    public static async Task<(IReadOnlyList<Finding> Findings, IReadOnlyList<HttpExchange> Exchanges)> RunAsync(Uri target, IReadOnlyList<string> allowedOrigins, ExchangeClient client, CancellationToken cancellationToken)
    {
        var findings = new List<Finding>();
        var exchanges = new List<HttpExchange>();
        var selfOrigin = target.GetLeftPart(UriPartial.Authority).ToLowerInvariant();
        var varyReported = false;
        // Lookalikes of the API's host and of every origin the user says is allowed (an allow-list bug shows on its entries).
        var lookalikes = allowedOrigins.Where(o => o != "null").Select(o => new Uri(o)).Prepend(target)
            .SelectMany(ScanProbe.For)
            .Where(p => p.Origin != selfOrigin && !allowedOrigins.Contains(p.Origin, StringComparer.Ordinal))
            .DistinctBy(p => p.Origin, StringComparer.Ordinal);
        var probes = lookalikes.Select(p => (Probe: (ScanProbe?)p, p.Origin)).Append((Probe: null, Origin: selfOrigin))
            .Concat(allowedOrigins.Select(o => (Probe: (ScanProbe?)null, Origin: o)));
        foreach (var (probe, origin) in probes)
        {
            var exchange = await client.SendAsync("probe", "GET", target, [new("Accept", "*/*"), new("Origin", origin)], cancellationToken).ConfigureAwait(false);
            exchanges.Add(exchange);
            var allowOrigin = Header(exchange, "Access-Control-Allow-Origin");
            var credentials = Header(exchange, "Access-Control-Allow-Credentials");
            var withCredentials = string.Equals(credentials, "true", StringComparison.Ordinal);
            var evidence = $"Access-Control-Allow-Origin: {allowOrigin ?? "(none)"}{(credentials is null ? string.Empty : $"; Access-Control-Allow-Credentials: {credentials}")}";

            if (probe is not null && string.Equals(allowOrigin, origin, StringComparison.Ordinal) && !findings.Any(f => f.Id == probe.Id))
            {
                var severity = withCredentials ? Severity.Critical : probe.Severity;
                var title = withCredentials ? probe.Title + ", with credentials" : probe.Title;
                findings.Add(new Finding(probe.Id, title, severity, origin, evidence, probe.Fix));
            }

            if (allowOrigin == "*" && withCredentials && !findings.Any(f => f.Id == "CORS010"))
            {
                findings.Add(new Finding("CORS010", "'*' with credentials", Severity.Low, origin, evidence, "Browsers refuse this pair; echo the allowed origin with Vary: Origin, or drop credentials."));
            }

            var echoes = allowOrigin is not null && allowOrigin != "*" && string.Equals(allowOrigin, origin, StringComparison.Ordinal);
            if (echoes && !varyReported && !VariesOnOrigin(exchange) && IsCacheable(exchange))
            {
                varyReported = true;
                findings.Add(new Finding("CORS011", "Missing Vary: Origin on a cacheable response whose Access-Control-Allow-Origin depends on Origin", Severity.Medium, origin, evidence + "; no Vary: Origin", "Add Vary: Origin to every response whose CORS headers depend on the Origin (refused ones too), or a shared cache serves one origin's answer to another."));
            }
        }

        return (findings.OrderByDescending(f => f.Severity).ThenBy(f => f.Id, StringComparer.Ordinal).ToList(), exchanges);
    }

    private static string? Header(HttpExchange exchange, string name)
    {
        var values = exchange.ResponseHeaders.Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).ToList();
        return values.Count == 0 ? null : string.Join(", ", values);
    }

    private static bool VariesOnOrigin(HttpExchange exchange) =>
        exchange.ResponseHeaders.Where(h => string.Equals(h.Key, "Vary", StringComparison.OrdinalIgnoreCase))
            .SelectMany(h => h.Value.Split(',', StringSplitOptions.TrimEntries))
            .Any(v => v == "*" || string.Equals(v, "Origin", StringComparison.OrdinalIgnoreCase));

    // A shared cache may store it: no no-store or private.
    private static bool IsCacheable(HttpExchange exchange)
    {
        var cacheControl = Header(exchange, "Cache-Control") ?? string.Empty;
        return !cacheControl.Contains("no-store", StringComparison.OrdinalIgnoreCase) && !cacheControl.Contains("private", StringComparison.OrdinalIgnoreCase);
    }
}

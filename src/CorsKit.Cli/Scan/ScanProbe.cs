namespace CorsKit.Cli.Scan;

/// <summary>One crafted <c>Origin</c> and the misconfiguration it reveals when the server echoes it.</summary>
internal sealed record ScanProbe(string Id, string Title, string Origin, Severity Severity, string Fix)
{
    /// <summary>The probes for a target URL, derived from its scheme and host.</summary>
    public static IReadOnlyList<ScanProbe> For(Uri target)
    {
        var scheme = target.Scheme;
        var host = target.IdnHost.ToLowerInvariant();
        var port = target.IsDefaultPort ? string.Empty : $":{target.Port}";
        var labels = host.Split('.');
        var registrable = labels.Length > 2 ? string.Join('.', labels[^2..]) : host;
        var probes = new List<ScanProbe>
        {
            new("CORS001", "Reflects any origin", $"{scheme}://corskit-probe.example{port}", Severity.Medium, "Allow a fixed list of origins; never echo the Origin header back unchecked."),
            new("CORS002", "Prefix match (origin checked with StartsWith)", $"{scheme}://{host}.corskit-probe.example{port}", Severity.Medium, "Compare the whole origin; a prefix check lets 'your-site.attacker.example' in."),
            new("CORS003", "Suffix match without a dot (origin checked with EndsWith)", $"{scheme}://evil{registrable}{port}", Severity.Medium, "Match subdomains on '.example.com' (with the dot) or list them; 'evilexample.com' ends with 'example.com' too."),
            new("CORS004", "Substring match (origin checked with Contains)", $"{scheme}://{registrable[1..]}{port}", Severity.Medium, "Compare whole origins, never substrings."),
            new("CORS006", "Trusts the null origin", "null", Severity.Medium, "Do not allow 'null': sandboxed iframes and file: pages from any site send it."),
            new("CORS008", "Trusts any subdomain", $"{scheme}://corskit-probe.{host}{port}", Severity.Low, "List the subdomains you trust; any subdomain includes forgotten or user-controlled ones."),
            new("CORS009", "Special characters accepted after the host", $"{scheme}://{host}_.corskit-probe.example{port}", Severity.Medium, "Anchor and escape origin patterns; characters such as _ - ~ after the host reach other domains."),
        };

        if (host.Contains('.', StringComparison.Ordinal))
        {
            var firstDot = host.IndexOf('.', StringComparison.Ordinal);
            var lastDot = host.LastIndexOf('.');
            probes.Add(new("CORS005", "Unescaped dot in an origin regex", $"{scheme}://{host[..firstDot]}x{host[(firstDot + 1)..]}{port}", Severity.Medium, "Escape dots in origin regular expressions (\\.) and anchor them."));
            if (lastDot != firstDot)
            {
                probes.Add(new("CORS005", "Unescaped dot in an origin regex", $"{scheme}://{host[..lastDot]}a{host[(lastDot + 1)..]}{port}", Severity.Medium, "Escape dots in origin regular expressions (\\.) and anchor them."));
            }
        }

        if (scheme == Uri.UriSchemeHttps)
        {
            probes.Add(new("CORS007", "HTTPS site trusts its HTTP origin", $"http://{host}{port}", Severity.Low, "Allow only https:// origins: an http page can be altered by anyone on the network path."));
        }

        return probes;
    }
}

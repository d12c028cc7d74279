using System.Text.Json;
using CorsKit.Cli.Output;

namespace CorsKit.Cli.Scan;

/// <summary>Findings as SARIF 2.1.0, the format CI systems (GitHub code scanning and others) read.</summary>
internal static class SarifWriter
{
    /// <summary>The project's page that documents every rule, one anchor per rule id (<c>#cors001</c>).</summary>
    public const string RulesUri = "https://github.com/corskit/corskit/blob/main/docs/scan-rules.md";

    public static string Write(Uri target, IReadOnlyList<Finding> findings)
    {
        var rules = findings.GroupBy(f => f.Id, StringComparer.Ordinal).Select(g => new
        {
            id = g.Key,
            name = g.First().Title,
            shortDescription = new { text = g.First().Title },
            help = new { text = g.First().Fix },
            helpUri = $"{RulesUri}#{g.Key.ToLowerInvariant()}",
        });
        var document = new Dictionary<string, object>
        {
            ["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json",
            ["version"] = "2.1.0",
            ["runs"] = new[]
            {
                new
                {
                    tool = new { driver = new { name = "corskit", informationUri = RulesUri, rules } },
                    results = findings.Select(f => new
                    {
                        ruleId = f.Id,
                        level = f.Severity switch { Severity.Critical or Severity.High => "error", Severity.Medium => "warning", _ => "note" },
                        message = new { text = $"{f.Title} ({f.Severity}): probe Origin {f.ProbeOrigin} -> {f.Evidence}. {f.Fix}" },
                        locations = new[] { new { physicalLocation = new { artifactLocation = new { uri = target.AbsoluteUri } } } },
                        properties = new { severity = f.Severity.ToString().ToLowerInvariant(), probeOrigin = f.ProbeOrigin },
                    }),
                },
            },
        };
        return JsonSerializer.Serialize(document, Json.Options);
    }
}

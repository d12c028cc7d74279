using System.Globalization;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace CorsKit.AspNetCore.Tests.Metrics;

/// <summary>Asserts what an instrument recorded: exact values and exact tag sets (no tag missing, none extra).</summary>
public static class MetricsAssert
{
    /// <summary>Exactly one measurement, of <paramref name="value"/>, with exactly these tags.</summary>
    public static void One<T>(MetricCollector<T> collector, T value, params (string Name, object Value)[] tags)
        where T : struct
    {
        var expected = Line(value, tags.Select(t => KeyValuePair.Create(t.Name, (object?)t.Value)));
        Assert.Equal([expected], Lines(collector));
    }

    /// <summary>Every measurement so far as <c>value tag=value ...</c>, tags sorted by name, in the order recorded.</summary>
    public static string[] Lines<T>(MetricCollector<T> collector)
        where T : struct =>
        [.. collector.GetMeasurementSnapshot().Select(m => Line(m.Value, m.Tags))];

    private static string Line<T>(T value, IEnumerable<KeyValuePair<string, object?>> tags) =>
        string.Join(' ', tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key}={Convert.ToString(t.Value, CultureInfo.InvariantCulture)}").Prepend(Convert.ToString(value, CultureInfo.InvariantCulture)));
}

using System.Diagnostics;
using System.Diagnostics.Metrics;
using CorsKit.Evaluation;

namespace CorsKit.AspNetCore.Metrics;

/// <summary>
/// The <c>CorsKit</c> meter, created through the app's <see cref="IMeterFactory"/> (so a test or a second app gets its
/// own), and its instruments. Every instrument of CorsKit is created on <see cref="Meter"/>; names and tags follow the
/// OpenTelemetry semantic-convention style (dotted lower-case names, snake_case values, durations in seconds) and are
/// listed in the README's "Metrics" section. Each <c>Record</c> method checks <see cref="Instrument.Enabled"/> first:
/// while nothing listens, a request costs one field read and builds no tag list. Code in this assembly takes this
/// singleton from DI and adds its instruments to <see cref="Meter"/>; another assembly gets a meter of the same name from
/// the same <see cref="IMeterFactory"/> (<c>Create(new MeterOptions("CorsKit"))</c>), which every listener of
/// <c>CorsKit</c> (OpenTelemetry's <c>AddMeter("CorsKit")</c>, dotnet-counters) hears as well.
/// </summary>
internal sealed class CorsKitMetrics
{
    /// <summary>The meter's name, for <c>AddMeter("CorsKit")</c> and <c>dotnet-counters --counters CorsKit</c>.</summary>
    public const string MeterName = "CorsKit";

    private const string Outcome = "corskit.outcome";
    private const string Preflight = "corskit.preflight";
    private const string PolicyName = "corskit.policy.name";
    private const string Reason = "corskit.rejection.reason";
    private const string Kind = "corskit.user_code.kind";
    private const string ErrorType = "error.type";

    // RejectionReason's values in snake_case, by value; policy_provider_failed is the adapter's own (no policy to decide).
    private static readonly string[] ReasonNames =
    [
        "none", "origin_not_allowed", "origin_malformed", "origin_check_failed", "method_not_allowed",
        "header_not_allowed", "method_malformed", "headers_malformed", "private_network_not_allowed",
    ];

    private const string ProviderFailed = "policy_provider_failed";

    private static readonly object True = true;
    private static readonly object False = false;

    private readonly Counter<long> _requests;
    private readonly Histogram<double> _userCodeDuration;

    public CorsKitMetrics(IMeterFactory meterFactory)
    {
        Meter = meterFactory.Create(new MeterOptions(MeterName) { Version = typeof(CorsKitMetrics).Assembly.GetName().Version?.ToString() });
        _requests = Meter.CreateCounter<long>(
            "corskit.requests",
            unit: "{request}",
            description: "Responses CorsKit finished, by what CORS decided for them.");
        _userCodeDuration = Meter.CreateHistogram(
            "corskit.user_code.duration",
            unit: "s",
            description: "How long a request waited for user code run under CorsKit's bulkhead: origin predicates and policy providers.",
            tags: null,
            advice: new InstrumentAdvice<double>
            {
                // From 100 µs (a cache read) to the one-minute budget ceiling.
                HistogramBucketBoundaries = [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
            });
    }

    /// <summary>The <c>CorsKit</c> meter: create further CorsKit instruments on it.</summary>
    public Meter Meter { get; }

    /// <summary>Counts a response decided by a policy.</summary>
    public void RecordRequest(in CorsDecision decision)
    {
        if (!_requests.Enabled)
        {
            return;
        }

        var tags = new TagList
        {
            { Outcome, decision.Outcome switch { CorsOutcome.Allowed => "allowed", CorsOutcome.Rejected => "rejected", _ => "not_cors" } },
            { Preflight, decision.IsPreflight ? True : False },
            { PolicyName, decision.Policy.Name },
        };
        if (decision.Outcome == CorsOutcome.Rejected)
        {
            var reason = (int)decision.Reason;
            tags.Add(Reason, reason >= 0 && reason < ReasonNames.Length ? ReasonNames[reason] : "other");
        }

        _requests.Add(1, tags);
    }

    /// <summary>Counts a response no policy applied to (the endpoint has no CORS, or its provider answered none).</summary>
    public void RecordRequestWithoutPolicy(bool preflight)
    {
        if (_requests.Enabled)
        {
            _requests.Add(1, new KeyValuePair<string, object?>(Outcome, "no_policy"), new KeyValuePair<string, object?>(Preflight, preflight ? True : False));
        }
    }

    /// <summary>Counts a response whose policy provider failed: refused, fail closed.</summary>
    public void RecordProviderFailed(string provider, bool preflight)
    {
        if (_requests.Enabled)
        {
            _requests.Add(
                1,
                new KeyValuePair<string, object?>(Outcome, "rejected"),
                new KeyValuePair<string, object?>(Preflight, preflight ? True : False),
                new KeyValuePair<string, object?>(PolicyName, provider),
                new KeyValuePair<string, object?>(Reason, ProviderFailed));
        }
    }

    /// <summary>Whether the user-code histogram is listened to (so the caller reads the clock only then).</summary>
    public bool UserCodeDurationEnabled => _userCodeDuration.Enabled;

    /// <summary>Records how long a request waited for user code; <paramref name="error"/> when it failed (thrown, timed out, refused a place).</summary>
    public void RecordUserCode(UserCodeKind kind, string policy, TimeSpan waited, Exception? error)
    {
        if (!_userCodeDuration.Enabled)
        {
            return;
        }

        var tags = new TagList
        {
            { Kind, kind == UserCodeKind.OriginPredicate ? "origin_predicate" : "policy_provider" },
            { PolicyName, policy },
        };
        if (error is not null)
        {
            tags.Add(ErrorType, error.GetType().FullName);
        }

        _userCodeDuration.Record(waited.TotalSeconds, tags);
    }
}

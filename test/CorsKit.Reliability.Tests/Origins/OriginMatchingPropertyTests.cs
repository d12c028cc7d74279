using CorsKit.Evaluation;
using CorsKit.Policies;
using CorsKit.Reliability.Tests.Infrastructure;
using Xunit.Abstractions;

namespace CorsKit.Reliability.Tests.Origins;

/// <summary>
/// Origin matching through the engine (policy builder + <see cref="CorsEvaluator"/>), against an independent oracle, on
/// lookalikes of every configured exact, wildcard and regex entry. The engine must agree with the oracle on every case:
/// never allow what does not truly match (a bypass), and never refuse a genuine match (so the property is not vacuous).
/// </summary>
public sealed class OriginMatchingPropertyTests(ITestOutputHelper output)
{
    private const ulong FixedSeed = 20_251_107;
    private const int FixedCases = 150_000;

    private static readonly PolicyUnderTest[] Policies =
    [
        PolicyUnderTest.Create("exact", OriginEntries.Exact, [], [], allowNull: false),
        PolicyUnderTest.Create("wildcard", [], OriginEntries.Wildcards, [], allowNull: false),
        PolicyUnderTest.Create("regex", [], [], OriginEntries.Regexes, allowNull: false),
        PolicyUnderTest.Create("mixed", OriginEntries.Exact, OriginEntries.Wildcards, OriginEntries.Regexes, allowNull: true),
    ];

    [Fact]
    public void Evaluate_GeneratedLookalikes_AllowedExactlyWhenTheyTrulyMatch()
    {
        var seed = PropertyRun.Seed(FixedSeed);
        var cases = PropertyRun.Cases(FixedCases);
        long decisions = 0, allowed = 0, refused = 0, mutated = 0;

        var checkedCases = PropertyRun.Check(
            OriginGenerators.Lookalike,
            lookalike =>
            {
                var value = lookalike.Value;
                foreach (var policy in Policies)
                {
                    var expected = policy.Oracle.Allows(value);
                    Assert(policy, new CorsRequest("GET", value), value, expected);
                    Assert(policy, new CorsRequest("OPTIONS", value, "GET"), value, expected);
                    Interlocked.Add(ref decisions, 2);
                    Interlocked.Increment(ref expected ? ref allowed : ref refused);
                }

                if (lookalike.Steps.Length > 0)
                {
                    Interlocked.Increment(ref mutated);
                }
            },
            seed,
            cases,
            lookalike => lookalike.ToString());

        output.WriteLine($"FIGURE origins: {checkedCases:N0} generated origin values ({mutated:N0} mutated lookalikes) x {Policies.Length} policies, " +
            $"{decisions:N0} engine decisions (simple + preflight); agreed with the oracle on all: {allowed:N0} allowed, {refused:N0} refused; seed {seed}");
        Xunit.Assert.True(checkedCases >= 100_000 || Environment.GetEnvironmentVariable(PropertyRun.CasesVariable) is not null);
        Xunit.Assert.True(allowed > 1_000, "the generator must also produce genuine matches, or the property proves nothing");
    }

    private static void Assert(PolicyUnderTest policy, CorsRequest request, string value, bool expected)
    {
        var decision = CorsEvaluator.Evaluate(policy.Policy, request);
        if (decision.IsAllowed != expected)
        {
            throw new InvalidOperationException(
                $"policy '{policy.Name}' {(decision.IsAllowed ? "ALLOWED" : "refused")} \"{Lookalike.Escape(value)}\" " +
                $"({(request.IsPreflight ? "preflight" : "simple")}, reason {decision.Reason}) but the oracle says {(expected ? "allow" : "refuse")}");
        }

        if (expected && (!string.Equals(decision.AllowOrigin, value, StringComparison.Ordinal) || (decision.Vary & VaryOn.Origin) == 0))
        {
            throw new InvalidOperationException($"policy '{policy.Name}' allowed \"{value}\" but sent ACAO \"{decision.AllowOrigin}\", Vary {decision.Vary}");
        }

        if (!expected && decision.AllowOrigin is not null)
        {
            throw new InvalidOperationException($"policy '{policy.Name}' refused \"{value}\" but still sent ACAO \"{decision.AllowOrigin}\"");
        }
    }

    /// <summary>A policy as CorsKit builds it, and the same entries as the oracle reads them.</summary>
    private sealed record PolicyUnderTest(string Name, CorsPolicy Policy, OriginOracle Oracle)
    {
        public static PolicyUnderTest Create(string name, string[] exact, string[] wildcards, string[] regexes, bool allowNull)
        {
            var builder = new CorsPolicyBuilder(name)
                .WithOrigins([.. exact, .. wildcards, .. allowNull ? new[] { "null" } : []]).SetIsOriginAllowedToAllowWildcardSubdomains()
                .WithMethods("PUT");

            // Credentials do not change which origins match; "null" is refused with them.
            if (!allowNull)
            {
                builder.AllowCredentials();
            }

            if (regexes.Length > 0)
            {
                builder.WithOriginRegex(regexes);
            }

            return new PolicyUnderTest(name, builder.Build(), new OriginOracle(exact, wildcards, regexes, allowNull));
        }
    }
}

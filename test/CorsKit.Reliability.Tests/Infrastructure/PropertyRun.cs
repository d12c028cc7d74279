using System.Collections.Concurrent;
using System.Globalization;
using CsCheck;

namespace CorsKit.Reliability.Tests.Infrastructure;

/// <summary>
/// Runs a CsCheck generator a fixed number of times from a fixed seed, so that every run tries the very same cases
/// (CsCheck's own Sample seeds only its first iteration). The cases are split into partitions, each with its own PCG
/// stream, so the result does not depend on thread scheduling. On failure the message names the run's seed and the
/// failing case's CsCheck seed, and CsCheck then shrinks from that case.
/// </summary>
public static class PropertyRun
{
    public const string SeedVariable = "CORSKIT_PROPERTY_SEED";
    public const string CasesVariable = "CORSKIT_PROPERTY_CASES";
    private const int Partitions = 8;

    /// <summary>The run's seed: <see cref="SeedVariable"/> when set, else <paramref name="fixedSeed"/>.</summary>
    public static ulong Seed(ulong fixedSeed) =>
        ulong.TryParse(Environment.GetEnvironmentVariable(SeedVariable), NumberStyles.None, CultureInfo.InvariantCulture, out var seed) ? seed : fixedSeed;

    /// <summary>The number of cases: <see cref="CasesVariable"/> when set, else <paramref name="fixedCases"/>.</summary>
    public static int Cases(int fixedCases) =>
        int.TryParse(Environment.GetEnvironmentVariable(CasesVariable), NumberStyles.None, CultureInfo.InvariantCulture, out var cases) && cases > 0 ? cases : fixedCases;

    /// <summary>Checks <paramref name="cases"/> generated values; returns how many were checked, or fails with the seeds.</summary>
    public static long Check<T>(Gen<T> gen, Action<T> check, ulong seed, int cases, Func<T, string> print)
    {
        var failures = new ConcurrentBag<(int Partition, long Index, string CaseSeed, T Value, Exception Error)>();
        long checkedCases = 0;
        Parallel.For(0, Partitions, partition =>
        {
            var pcg = new PCG((uint)partition + 1, seed);
            var count = (cases / Partitions) + (partition < cases % Partitions ? 1 : 0);
            for (long i = 0; i < count; i++)
            {
                var state = pcg.State;
                var value = gen.Generate(pcg, null, out _);
                try
                {
                    check(value);
                }
                catch (Exception ex)
                {
                    failures.Add((partition, i, pcg.ToString(state), value, ex));
                    return;
                }

                Interlocked.Increment(ref checkedCases);
            }
        });

        if (failures.IsEmpty)
        {
            return checkedCases;
        }

        var first = failures.OrderBy(f => f.Partition).ThenBy(f => f.Index).First();
        string shrunk;
        try
        {
            gen.Sample(check, seed: first.CaseSeed, iter: 20_000, threads: 1, print: print);
            shrunk = "(CsCheck could not reproduce it alone)";
        }
        catch (CsCheckException ex)
        {
            shrunk = ex.Message;
        }

        throw new Xunit.Sdk.XunitException(
            $"Property failed after {checkedCases:N0} passing cases ({failures.Count} partition(s) failed).\n" +
            $"Run seed: {seed} (set {SeedVariable}={seed} to rerun exactly this run; {CasesVariable}={cases}).\n" +
            $"First failing case: partition {first.Partition}, case {first.Index}, CsCheck seed \"{first.CaseSeed}\" " +
            $"(Gen.Sample(check, seed: \"{first.CaseSeed}\") or CsCheck_Seed={first.CaseSeed} replays it).\n" +
            $"Value: {print(first.Value)}\nError: {first.Error.Message}\n\nShrunk by CsCheck:\n{shrunk}",
            first.Error);
    }
}

using CorsKit.Evaluation;
using CorsKit.Policies;
using CorsKit.Sources;

namespace CorsKit.Tests.Sources;

/// <summary>
/// The untenanted set (served apart from the tenants since d0469d0) against the writers that can run at once when two
/// hosts in one process sync the same source (docs/scale-out.md, OriginSourceCompositionTests.TwoHostsShareOneSource_*):
/// one host's full read against the other's read of the untenanted set, and two reads of the untenanted set. Whatever
/// the interleaving, what a policy without tenants is served must be what the copy (OriginsOf(""), the snapshot, the
/// health counts) holds, as it always was when the served copy was the tenants dictionary itself.
/// </summary>
/// <remarks>The two racing threads need both cores: these tests run alone, or other tests' threads keep them apart.</remarks>
[Collection(nameof(OriginSourceUntenantedRaceTests))]
public sealed class OriginSourceUntenantedRaceTests
{
    private const string A = "https://a.example";
    private const string B = "https://b.example";
    private const int Rounds = 300_000;
    private static readonly DateTimeOffset ReadAt = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    // Host 1's full read (made before B was removed: it still lists B) races host 2's read of the untenanted set (after
    // the removal: A only). When the tenant read lands in the new copy after Serve took that copy's "" set but before it
    // published it, ServeUntenanted sees the old copy still served and does nothing, and Serve then publishes the set
    // without the removal: B stays allowed while the copy says it was removed, until the next full read. Before d0469d0
    // the served copy was the dictionary the tenant read wrote into, so both views always agreed.
    [Fact]
    public void ReplaceAllRacingUntenantedRemoval_RemovedOriginRefusedOnceTheCopyDropsIt()
    {
        var source = new OriginSource("s", new EmptyOriginStore());
        var policy = new CorsPolicyBuilder("api").WithOriginsFrom(source).Build();

        var wrong = Race(
            reset: () => source.ReplaceAll([new(string.Empty, [A, B])], ReadAt, []),
            first: () => source.ReplaceAll([new(string.Empty, [A, B])], ReadAt, []),
            second: () => source.ReplaceTenant(new(string.Empty, [A]), ReadAt, []),
            check: () => !source.OriginsOf(string.Empty).Contains(B) && CorsEvaluator.Evaluate(policy, new CorsRequest("GET", B)).IsAllowed
                ? $"B removed from the copy (OriginsOf(\"\") = [{string.Join(", ", source.OriginsOf(string.Empty))}], snapshot = [{string.Join(", ", source.Copy().SelectMany(t => t.Origins))}], OriginCount = {source.OriginCount}) but still allowed"
                : null);

        Assert.True(wrong is null, wrong);
    }

    // Two reads of the untenanted set at once (two hosts, each told of the change): the one that stored second in the
    // copy can lose the compare-and-swap to the first and then publish its own, older, set on the retry, since the retry
    // re-publishes the set it read instead of the copy's. The copy then holds one set and policies are served the other.
    [Fact]
    public void ReplaceTenantUntenantedRacingItself_ServedSetIsTheCopys()
    {
        var source = new OriginSource("s", new EmptyOriginStore());

        var wrong = Race(
            reset: () => source.ReplaceAll([new(string.Empty, [A])], ReadAt, []),
            first: () => source.ReplaceTenant(new(string.Empty, [A, B]), ReadAt, []),
            second: () => source.ReplaceTenant(new(string.Empty, [A]), ReadAt, []),
            check: () => source.OriginsOf(string.Empty).Contains(B) != source.Contains(null, B)
                ? $"the copy {(source.OriginsOf(string.Empty).Contains(B) ? "holds" : "does not hold")} B, the served set {(source.Contains(null, B) ? "allows" : "refuses")} it"
                : null);

        Assert.True(wrong is null, wrong);
    }

    // Runs first and second at once, Rounds times, each round after reset and with one of them spinning 0-99 iterations
    // first, so that the rounds fall on every interleaving; returns what check finds wrong after the first round it does.
    private static string? Race(Action reset, Action first, Action second, Func<string?> check)
    {
        using var barrier = new Barrier(2);
        var random = new Random(1);
        var spins = 0;
        var stop = false;
        var other = new Thread(() =>
        {
            while (true)
            {
                barrier.SignalAndWait();
                if (Volatile.Read(ref stop))
                {
                    return;
                }

                Thread.SpinWait(Volatile.Read(ref spins));
                second();
                barrier.SignalAndWait();
            }
        });
        other.Start();
        try
        {
            for (var i = 0; i < Rounds; i++)
            {
                reset();
                var offset = random.Next(-100, 100);
                Volatile.Write(ref spins, Math.Max(0, -offset));
                barrier.SignalAndWait();
                Thread.SpinWait(Math.Max(0, offset));
                first();
                barrier.SignalAndWait();
                if (check() is { } wrong)
                {
                    return $"round {i}: {wrong}";
                }
            }

            return null;
        }
        finally
        {
            Volatile.Write(ref stop, true);
            barrier.SignalAndWait();
            other.Join();
        }
    }
}

/// <summary>Runs <see cref="OriginSourceUntenantedRaceTests"/> alone.</summary>
[CollectionDefinition(nameof(OriginSourceUntenantedRaceTests), DisableParallelization = true)]
public sealed class UntenantedRacesRunAlone;

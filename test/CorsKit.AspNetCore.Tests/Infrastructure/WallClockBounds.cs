namespace CorsKit.AspNetCore.Tests.Infrastructure;

/// <summary>
/// The test classes that assert a wall-clock bound (a host's stop, a dispose, a fail-closed budget) run in this collection,
/// alone: other tests of this assembly block thread-pool threads on purpose (stores and providers deaf to cancellation),
/// and on a 2-core machine the pool then adds a thread only every half second or so, so the timers and continuations a
/// bound is made of run late. A stop bounded at 2 s took 4.7 s in CI that way, beside them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class WallClockBounds
{
    public const string Name = "wall-clock bounds";
}

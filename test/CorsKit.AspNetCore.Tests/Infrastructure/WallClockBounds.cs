namespace CorsKit.AspNetCore.Tests.Infrastructure;

/// <summary>
/// The test classes that assert a wall-clock bound (a host's stop, a dispose, a fail-closed budget) or wait on one to go
/// on (a few seconds for a host to start or a read to land) run in this collection, one after another and after every
/// parallel class of this assembly. Other tests here hold thread-pool threads on purpose (stores that block the thread
/// their read runs on, tests that wait on an event from <c>Task.Run</c>), and on a 2-core machine the pool then adds a
/// thread only every half second or so, so the timers and continuations a bound is made of run late: a stop documented
/// to take the shutdown timeout and 1 s (2 s here, asserted within 3.5 s) took 4.7 s in CI beside them. The Reliability
/// tests (which compile this file) use it the same way: their fault tests answer within 5 s of a 1 s budget, away from
/// the CPU-bound property runs and the fault flood, and the soak's load neither slows the others nor is slowed by them.
/// The README's test command runs one test project at a time (<c>-m:1</c>), so no other project's process runs beside
/// it either.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class WallClockBounds
{
    public const string Name = "wall-clock bounds";
}

namespace CorsKit.Reliability.Tests.Infrastructure;

/// <summary>
/// The soak, and the fault tests that assert a bound of a few seconds (a fault answered within its budget), run in this collection:
/// one after another, after the parallel classes of this assembly. The soak's load would slow the others and be slowed by
/// them; a bound measured beside the CPU-bound property runs and the 378-request fault flood would measure the crowd.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunsAlone
{
    public const string Name = "runs alone";
}

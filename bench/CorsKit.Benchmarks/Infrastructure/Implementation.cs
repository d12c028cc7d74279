namespace CorsKit.Benchmarks.Infrastructure;

/// <summary>The pipelines a scenario compares, in one run: the three of every scenario, and the floor of some.</summary>
public enum Implementation
{
    /// <summary>The same app without any CORS middleware: the baseline.</summary>
    None,

    /// <summary><c>services.AddCors</c> + <c>app.UseCors()</c> (Microsoft.AspNetCore.Cors, in the shared framework).</summary>
    Microsoft,

    /// <summary><c>services.AddCorsKit</c> + <c>app.UseCorsKit()</c>.</summary>
    CorsKit,

    /// <summary>
    /// The floor: a hand-written middleware that sends CorsKit's answer for the scenario from precomputed headers
    /// (<see cref="FloorMiddleware"/>), the least any CORS layer can cost. Only in <see cref="CorsScenarioWithFloor"/>.
    /// </summary>
    Floor,
}

namespace CorsKit.RealBrowsers.Tests.Matrix;

/// <summary>What the policy (or the deliberately broken server) means to happen to a scenario's request.</summary>
/// <param name="Allowed">Whether script gets the response.</param>
/// <param name="Preflights">How many preflights the server receives over all of the scenario's requests.</param>
public sealed record Intent(bool Allowed, int Preflights)
{
    /// <summary>The status script sees, when allowed.</summary>
    public int Status { get; init; } = 200;

    /// <summary>Text the body script reads must contain, when allowed.</summary>
    public string? BodyContains { get; init; }

    /// <summary>Response headers script reads with <c>headers.get(name)</c>: the value, or <see langword="null"/> for "not readable".</summary>
    public IReadOnlyDictionary<string, string?> Reads { get; init; } = new Dictionary<string, string?>();

    /// <summary>Whether the response script gets came through a redirect.</summary>
    public bool Redirected { get; init; }

    /// <summary>Why the browser blocks it, when not allowed.</summary>
    public CorsFailure Failure { get; init; } = CorsFailure.None;

    /// <summary>Script gets the response.</summary>
    /// <param name="preflights">Preflights the server receives.</param>
    /// <param name="status">The status script sees.</param>
    /// <param name="body">Text the body contains.</param>
    /// <param name="redirected">Whether a redirect was followed.</param>
    /// <param name="reads">Header values script reads (<see langword="null"/>: not readable).</param>
    public static Intent Allow(int preflights = 0, int status = 200, string? body = null, bool redirected = false, params (string Name, string? Value)[] reads) =>
        new(true, preflights)
        {
            Status = status,
            BodyContains = body,
            Redirected = redirected,
            Reads = reads.ToDictionary(r => r.Name, r => r.Value, StringComparer.OrdinalIgnoreCase),
        };

    /// <summary>The browser blocks it for <paramref name="failure"/>.</summary>
    /// <param name="failure">The reason.</param>
    /// <param name="preflights">Preflights the server receives.</param>
    public static Intent Block(CorsFailure failure, int preflights = 0) => new(false, preflights) { Failure = failure };
}

namespace CorsKit.Origins;

/// <summary>A lookalike origin that an origin pattern matches besides the origin it was written for.</summary>
/// <param name="Probe">The lookalike origin the pattern matched.</param>
/// <param name="Scheme">The scheme of the origin the pattern was written for.</param>
/// <param name="Registrable">
/// When the lookalike puts letters in front of the registrable domain (<c>corskitprobeexample.com</c>): that domain
/// (<c>example.com</c>); <see langword="null"/> when it continues the host (<c>app.example.com.corskit-probe.invalid</c>).
/// </param>
internal sealed record OriginLookalike(string Probe, string Scheme, string? Registrable);

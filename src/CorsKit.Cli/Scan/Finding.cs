namespace CorsKit.Cli.Scan;

/// <summary>A misconfiguration the scan found.</summary>
/// <param name="Id">A stable rule id, such as <c>CORS001</c>.</param>
/// <param name="Title">The class of misconfiguration.</param>
/// <param name="Severity">How bad it is.</param>
/// <param name="ProbeOrigin">The origin sent (or <see langword="null"/> for a check that needs none).</param>
/// <param name="Evidence">What the response said, such as <c>Access-Control-Allow-Origin: https://evil.com; Access-Control-Allow-Credentials: true</c>.</param>
/// <param name="Fix">What to change.</param>
internal sealed record Finding(string Id, string Title, Severity Severity, string? ProbeOrigin, string Evidence, string Fix);

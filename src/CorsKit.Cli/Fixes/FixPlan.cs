namespace CorsKit.Cli.Fixes;

/// <summary>
/// What the server must do for the browser to allow the request: the CORS settings it needs, plus any specific
/// mistake to undo. Rendered as headers and as a snippet per framework by <see cref="FixSnippets"/>.
/// </summary>
internal sealed record FixPlan
{
    /// <summary>One sentence: what is wrong on the server and what to change.</summary>
    public required string Summary { get; init; }

    /// <summary>The origin to allow (or <c>null</c> for opaque origins).</summary>
    public required string Origin { get; init; }

    /// <summary>Whether the request sends credentials, so the policy must allow them (and may not use <c>*</c>).</summary>
    public bool Credentials { get; init; }

    /// <summary>Methods that must be allowed beyond GET, HEAD and POST.</summary>
    public IReadOnlyList<string> Methods { get; init; } = [];

    /// <summary>Request headers that must be allowed (lower-case).</summary>
    public IReadOnlyList<string> Headers { get; init; } = [];

    /// <summary>The server's own policy and the entry it lacks, when its <c>X-CorsKit-Reason</c> said so; otherwise <see langword="null"/>.</summary>
    public PolicyChange? Policy { get; init; }

    /// <summary>Extra advice that no CORS setting covers (duplicate header, redirecting preflight, error responses).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>The response headers the server must send, as <c>Name: value</c>.</summary>
    public IReadOnlyList<string> RequiredHeaders()
    {
        var headers = new List<string> { $"Access-Control-Allow-Origin: {Origin}" };
        if (Credentials)
        {
            headers.Add("Access-Control-Allow-Credentials: true");
        }

        if (Methods.Count > 0)
        {
            headers.Add($"Access-Control-Allow-Methods: {string.Join(", ", Methods)}   (on the preflight)");
        }

        if (Headers.Count > 0)
        {
            headers.Add($"Access-Control-Allow-Headers: {string.Join(", ", Headers)}   (on the preflight)");
        }

        headers.Add("Vary: Origin");
        return headers;
    }
}

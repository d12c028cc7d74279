namespace CorsKit.Browser.Fixes;

/// <summary>
/// What the server must do for the browser to allow the request: the CORS settings it needs, plus any specific
/// mistake to undo. Rendered as headers and as a snippet per framework by <see cref="FixSnippets"/>. <c>corskit check</c>
/// and <c>explain</c> print it; the demo's playground shows it.
/// </summary>
public sealed record FixPlan
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

    /// <summary>What the server must change, from the failing check, what the request needs and the last response.</summary>
    /// <param name="failure">The failing check (not a pass).</param>
    /// <param name="plan">The preflight plan of the request that failed.</param>
    /// <param name="last">The last response the browser got: its status, and CorsKit's <c>X-CorsKit-Reason</c> when the server is in debug mode.</param>
    public static FixPlan For(CorsCheckResult failure, PreflightPlan plan, BrowserResponse last)
    {
        ArgumentNullException.ThrowIfNull(failure);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(last);
        var credentials = plan.Credentials == CredentialsMode.Include;
        var methods = Safelist.IsCorsSafelistedMethod(plan.Method) ? [] : new[] { plan.Method };
        var notes = new List<string>();
        var value = failure.Value;
        var summary = failure.Failure switch
        {
            CorsFailure.MissingAllowOrigin when last.Status >= 400 =>
                $"The server failed with {last.Status} and sent no Access-Control-Allow-Origin on that error response: fix the {last.Status} (its body is shown above), and make error responses carry the CORS headers too.",
            CorsFailure.MissingAllowOrigin => $"Send Access-Control-Allow-Origin: {plan.Origin} (the server sent none{(failure.OnPreflight ? " on the preflight" : string.Empty)}).",
            CorsFailure.MultipleAllowOriginValues => $"Send exactly one Access-Control-Allow-Origin; it arrived as '{value}' — two layers (the handler and a middleware or proxy) both set it: remove one.",
            CorsFailure.InvalidAllowOrigin => $"Access-Control-Allow-Origin '{value}' is not an origin; send exactly {plan.Origin}.",
            CorsFailure.AllowOriginMismatch => $"Access-Control-Allow-Origin is '{value}' but the page's origin is {plan.Origin}; send exactly that (scheme, host and port; no trailing slash).",
            CorsFailure.WildcardOriginWithCredentials => $"With credentials the browser refuses '*': echo the allowed origin ({plan.Origin}) and add Vary: Origin.",
            CorsFailure.InvalidAllowCredentials => $"Send Access-Control-Allow-Credentials: true exactly (lower case); it was '{value}'.",
            CorsFailure.PreflightInvalidStatus => $"Answer the OPTIONS preflight with 204 (or any 2xx); it got {last.Status}. Usually the CORS middleware runs after authentication or routing rejected the OPTIONS request.",
            CorsFailure.PreflightRedirect => "Do not redirect the OPTIONS preflight (HTTP to HTTPS, a missing trailing slash, a login page): call the final URL, or let CORS answer before the redirect.",
            CorsFailure.InvalidAllowMethodsPreflightResponse => $"Access-Control-Allow-Methods must be a comma-separated list; it was '{value}'.",
            CorsFailure.InvalidAllowHeadersPreflightResponse => $"Access-Control-Allow-Headers must be a comma-separated list; it was '{value}'.",
            CorsFailure.MethodDisallowedByPreflightResponse => $"Add {value} to Access-Control-Allow-Methods (method names are case-sensitive).",
            CorsFailure.HeaderDisallowedByPreflightResponse => $"Add {value} to Access-Control-Allow-Headers.",
            _ => "Send the CORS headers below.",
        };

        var change = PolicyChange.FromReason(last.Headers.Get(PolicyChange.ReasonHeader));
        if (change is not null)
        {
            summary = $"Policy '{change.Name}' does not allow {change.Kind} {change.Missing} (it allows {change.Allowed}): add it to that policy.";
        }

        if (failure.Failure == CorsFailure.MultipleAllowOriginValues)
        {
            notes.Add("Remove the Access-Control-Allow-Origin your handler or proxy adds by hand; let one CORS layer set it.");
        }

        if (failure.Failure == CorsFailure.MissingAllowOrigin && last.Status >= 400)
        {
            notes.Add("ASP.NET Core: with no exception handler Kestrel sends a bare 500 without CORS headers; CorsKit adds them to every response, errors included.");
        }

        return new FixPlan
        {
            Summary = summary,
            Origin = plan.Origin,
            Credentials = credentials,
            Methods = methods,
            Headers = plan.UnsafeHeaderNames,
            Notes = notes,
            Policy = change,
        };
    }
}

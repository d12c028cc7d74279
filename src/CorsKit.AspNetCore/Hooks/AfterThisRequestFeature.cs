namespace CorsKit.AspNetCore.Hooks;

/// <summary>The hooks one request added with <c>context.AfterThisRequest(...)</c> (Flask's <c>after_this_request</c>), kept as a request feature.</summary>
internal sealed class AfterThisRequestFeature
{
    private static volatile bool s_anyCreated;

    public AfterThisRequestFeature() => s_anyCreated = true;

    /// <summary>
    /// Whether any request in this process ever used <c>AfterThisRequest</c>. Until one does, no request can carry the
    /// feature, so its lookup is skipped on every response (a request creates it before its own response starts).
    /// </summary>
    public static bool AnyCreated => s_anyCreated;

    public List<AfterRequestHook> Hooks { get; } = [];
}

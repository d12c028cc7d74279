namespace CorsKit.AspNetCore.Hooks;

/// <summary>The hooks one request added with <c>context.AfterThisRequest(...)</c> (Flask's <c>after_this_request</c>), kept as a request feature.</summary>
internal sealed class AfterThisRequestFeature
{
    public List<AfterRequestHook> Hooks { get; } = [];
}

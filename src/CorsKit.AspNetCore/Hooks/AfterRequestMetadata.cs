namespace CorsKit.AspNetCore.Hooks;

/// <summary>Endpoint metadata carrying an after-request hook of an endpoint or a route group.</summary>
internal sealed class AfterRequestMetadata(AfterRequestHook hook)
{
    public AfterRequestHook Hook { get; } = hook;
}

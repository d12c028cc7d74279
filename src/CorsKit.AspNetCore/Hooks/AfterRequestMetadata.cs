namespace CorsKit.AspNetCore.Hooks;

/// <summary>Endpoint metadata carrying an after-request hook of an endpoint or a route group.</summary>
internal sealed class AfterRequestMetadata
{
    private static volatile bool s_anyCreated;

    public AfterRequestMetadata(AfterRequestHook hook)
    {
        Hook = hook;
        s_anyCreated = true;
    }

    /// <summary>
    /// Whether any endpoint or group hook was ever registered in this process. Until one is, no endpoint can carry one,
    /// so the endpoint-metadata lookup is skipped on every response (it is created while the app is configured, before
    /// any request).
    /// </summary>
    public static bool AnyCreated => s_anyCreated;

    public AfterRequestHook Hook { get; }
}

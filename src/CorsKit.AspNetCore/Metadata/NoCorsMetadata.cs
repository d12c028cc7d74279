namespace CorsKit.AspNetCore.Metadata;

/// <summary>Endpoint metadata turning CORS off for an endpoint or group: no CORS headers at all (CorsKit removes any the app sets), and a preflight answered 204 without them (the endpoint never runs).</summary>
public sealed class NoCorsMetadata : ICorsKitMetadata
{
    /// <summary>The shared instance.</summary>
    public static NoCorsMetadata Instance { get; } = new();
}

namespace CorsKit.AspNetCore.Metadata;

/// <summary>Endpoint metadata turning CORS off for an endpoint or group: no CORS headers, preflights go to the endpoint.</summary>
public sealed class NoCorsMetadata : ICorsKitMetadata
{
    /// <summary>The shared instance.</summary>
    public static NoCorsMetadata Instance { get; } = new();
}

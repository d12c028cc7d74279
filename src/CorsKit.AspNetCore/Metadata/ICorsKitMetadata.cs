namespace CorsKit.AspNetCore.Metadata;

/// <summary>
/// Marks CorsKit's endpoint metadata (policies and opt-outs). Deliberately not Microsoft's <c>ICorsMetadata</c>: that one
/// makes the endpoint middleware demand Microsoft's CORS middleware, and CorsKit routes preflights on its own.
/// </summary>
public interface ICorsKitMetadata;

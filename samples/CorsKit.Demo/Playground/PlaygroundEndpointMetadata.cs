namespace CorsKit.Demo.Playground;

/// <summary>Marks the playground's own endpoints, so its list of API routes leaves them out.</summary>
internal sealed class PlaygroundEndpointMetadata
{
    public static PlaygroundEndpointMetadata Instance { get; } = new();
}

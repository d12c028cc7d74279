namespace CorsKit.AspNetCore.Configuration;

/// <summary>
/// The shape of CorsKit's configuration section:
/// <code>
/// "CorsKit": {
///   "DefaultPolicy": "spa",
///   "DebugMode": false,
///   "Policies": { "spa": { "Origins": [ "https://app.example.com" ], "Headers": [ "x-token" ], "AllowCredentials": true } }
/// }
/// </code>
/// </summary>
public sealed class CorsKitSettings
{
    /// <summary>The default policy's name.</summary>
    public string? DefaultPolicy { get; set; }

    /// <summary>Debug mode; unset follows the environment (on in Development).</summary>
    public bool? DebugMode { get; set; }

    /// <summary>The policies by name.</summary>
    public Dictionary<string, CorsPolicySettings> Policies { get; set; } = new(StringComparer.Ordinal);
}

using CorsKit.AspNetCore.Metadata;

namespace CorsKit.AspNetCore;

/// <summary>Applies a named CorsKit policy to a controller or action (the attribute form of <c>.WithCors("name")</c>).</summary>
/// <param name="policyName">The registered policy's name.</param>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class WithCorsAttribute(string policyName) : Attribute, ICorsKitMetadata
{
    /// <summary>The registered policy's name.</summary>
    public string PolicyName { get; } = policyName;
}

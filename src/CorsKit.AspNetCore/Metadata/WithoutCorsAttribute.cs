using CorsKit.AspNetCore.Metadata;

namespace CorsKit.AspNetCore;

/// <summary>Turns CORS off for a controller or action (the attribute form of <c>.WithoutCors()</c>).</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class WithoutCorsAttribute : Attribute, ICorsKitMetadata;

namespace CorsKit.Sources;

/// <summary>An entry of an <see cref="IOriginStore"/> that an <see cref="OriginSource"/> refused, and why (it is never allowed).</summary>
/// <param name="Tenant">The tenant it was stored under.</param>
/// <param name="Entry">The entry, as stored.</param>
/// <param name="Reason">What is wrong with it and how to write it instead.</param>
public readonly record struct OriginRefusal(string Tenant, string Entry, string Reason);

using Microsoft.Extensions.Configuration;

namespace CorsKit.AspNetCore.Configuration;

/// <summary>A configuration section <c>AddCorsKit(section)</c> reads policies from, and so whose reloads CorsKit follows.</summary>
/// <param name="Section">The section.</param>
internal sealed record CorsKitConfigurationSection(IConfiguration Section);

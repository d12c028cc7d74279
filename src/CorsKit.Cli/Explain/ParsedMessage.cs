using CorsKit.Browser;

namespace CorsKit.Cli.Explain;

/// <summary>What a pasted browser console message says: which check failed, on which URL and origin, with which value.</summary>
internal sealed record ParsedMessage(string Browser, CorsFailure Failure, bool OnPreflight, string? Url, string? Origin, string? Value, bool NetworkError = false);

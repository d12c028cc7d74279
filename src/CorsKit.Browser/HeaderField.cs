namespace CorsKit.Browser;

/// <summary>One header line: a name and its value, as a script set it or as a server sent it.</summary>
/// <param name="Name">The header name, in any case.</param>
/// <param name="Value">The header value.</param>
public readonly record struct HeaderField(string Name, string Value);

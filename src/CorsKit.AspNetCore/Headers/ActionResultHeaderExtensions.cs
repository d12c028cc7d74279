using CorsKit.AspNetCore;

namespace Microsoft.AspNetCore.Mvc;

/// <summary><c>.WithHeader(...)</c> and <c>.WithHeaders(...)</c> on controller results, chainable, keeping the result's status and body.</summary>
public static class ActionResultHeaderExtensions
{
    /// <summary>Adds a response header to <paramref name="result"/> (chain more with <c>.WithHeader</c>).</summary>
    /// <param name="result">The result that writes the status code and the body.</param>
    /// <param name="name">The header name; must be a token.</param>
    /// <param name="value">The value: visible ASCII, no line breaks.</param>
    /// <exception cref="ArgumentException">The name or the value cannot be sent.</exception>
    public static ActionResultWithHeaders WithHeader(this IActionResult result, string name, Microsoft.Extensions.Primitives.StringValues value) =>
        Wrap(result).WithHeader(name, value);

    /// <summary>Adds several response headers to <paramref name="result"/>.</summary>
    /// <param name="result">The result that writes the status code and the body.</param>
    /// <param name="headers">Name and value pairs.</param>
    public static ActionResultWithHeaders WithHeaders(this IActionResult result, params ReadOnlySpan<(string Name, string Value)> headers) =>
        Wrap(result).WithHeaders(headers);

    /// <summary>Adds several response headers to <paramref name="result"/>, for example from a dictionary.</summary>
    /// <param name="result">The result that writes the status code and the body.</param>
    /// <param name="headers">Name and value pairs.</param>
    public static ActionResultWithHeaders WithHeaders(this IActionResult result, IEnumerable<KeyValuePair<string, string>> headers) =>
        Wrap(result).WithHeaders(headers);

    // A result already wrapped (its static type lost, as IActionResult) gets the header itself, so the last call wins.
    private static ActionResultWithHeaders Wrap(IActionResult result) =>
        result as ActionResultWithHeaders ?? new ActionResultWithHeaders(result);
}

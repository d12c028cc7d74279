using CorsKit.AspNetCore;

namespace Microsoft.AspNetCore.Http;

/// <summary>
/// <c>.WithHeader(...)</c> and <c>.WithHeaders(...)</c> on minimal-API results: Flask's
/// <c>resp = make_response(...); resp.headers[name] = value</c>, chainable, keeping the result's status, body and metadata.
/// </summary>
public static class ResultHeaderExtensions
{
    /// <summary>Wraps <paramref name="result"/> with a response header (chain more with <c>.WithHeader</c>).</summary>
    /// <typeparam name="TResult">The result's type, kept for the endpoint's metadata.</typeparam>
    /// <param name="result">The result that writes the status code and the body.</param>
    /// <param name="name">The header name; must be a token.</param>
    /// <param name="value">The value: visible ASCII, no line breaks.</param>
    /// <exception cref="ArgumentException">The name or the value cannot be sent.</exception>
    public static ResultWithHeaders<TResult> WithHeader<TResult>(this TResult result, string name, Microsoft.Extensions.Primitives.StringValues value)
        where TResult : IResult => new ResultWithHeaders<TResult>(result).WithHeader(name, value);

    /// <summary>Wraps <paramref name="result"/> with several response headers.</summary>
    /// <typeparam name="TResult">The result's type, kept for the endpoint's metadata.</typeparam>
    /// <param name="result">The result that writes the status code and the body.</param>
    /// <param name="headers">Name and value pairs.</param>
    public static ResultWithHeaders<TResult> WithHeaders<TResult>(this TResult result, params ReadOnlySpan<(string Name, string Value)> headers)
        where TResult : IResult => new ResultWithHeaders<TResult>(result).WithHeaders(headers);

    /// <summary>Wraps <paramref name="result"/> with several response headers, for example from a dictionary.</summary>
    /// <typeparam name="TResult">The result's type, kept for the endpoint's metadata.</typeparam>
    /// <param name="result">The result that writes the status code and the body.</param>
    /// <param name="headers">Name and value pairs.</param>
    public static ResultWithHeaders<TResult> WithHeaders<TResult>(this TResult result, IEnumerable<KeyValuePair<string, string>> headers)
        where TResult : IResult => new ResultWithHeaders<TResult>(result).WithHeaders(headers);
}

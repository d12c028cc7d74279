using System.Reflection;
using CorsKit.AspNetCore.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Primitives;

namespace CorsKit.AspNetCore;

/// <summary>
/// A minimal-API result with response headers added, as Flask's <c>make_response(...)</c> followed by
/// <c>resp.headers[name] = value</c>. Created by <c>.WithHeader(name, value)</c> on any <see cref="IResult"/>; the inner
/// result keeps its status code and body, and its endpoint metadata: <c>TypedResults.Ok(item).WithHeader(...)</c> still
/// describes a 200 with an <c>Item</c> body to OpenAPI.
/// </summary>
/// <typeparam name="TResult">The inner result's type.</typeparam>
public sealed class ResultWithHeaders<TResult> : IResult, INestedHttpResult, IStatusCodeHttpResult, IValueHttpResult, IContentTypeHttpResult, IEndpointMetadataProvider
    where TResult : IResult
{
    internal ResultWithHeaders(TResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        Result = result;
    }

    /// <summary>The inner result, which writes the status code and the body.</summary>
    public TResult Result { get; }

    /// <summary>
    /// The headers to add, written before the inner result runs. A header the inner result sets itself keeps the inner
    /// result's value (<c>Location</c> of a 201; <c>Content-Type</c> of JSON results, whose type is passed to them instead);
    /// a text result with no type of its own uses the <c>Content-Type</c> set here. Every write (indexer, <c>Add</c>,
    /// <c>Append</c>, typed properties) is checked as <c>WithHeader</c> checks it: a bad name or value throws
    /// <see cref="ArgumentException"/> at that call and leaves the headers unchanged.
    /// </summary>
    public IHeaderDictionary Headers { get; } = new CheckedHeaderDictionary();

    /// <summary>The inner result's status code, if it declares one.</summary>
    public int? StatusCode => (Result as IStatusCodeHttpResult)?.StatusCode;

    /// <summary>The inner result's value, if it carries one.</summary>
    public object? Value => (Result as IValueHttpResult)?.Value;

    /// <summary>The inner result's content type, if it declares one.</summary>
    public string? ContentType => (Result as IContentTypeHttpResult)?.ContentType;

    IResult INestedHttpResult.Result => Result;

    /// <summary>Sets a response header (replacing an earlier value of the same name).</summary>
    /// <param name="name">The header name; must be a token.</param>
    /// <param name="value">The value: visible ASCII, no line breaks.</param>
    /// <exception cref="ArgumentException">The name or the value cannot be sent.</exception>
    public ResultWithHeaders<TResult> WithHeader(string name, StringValues value)
    {
        HeaderField.Set(Headers, name, value);
        return this;
    }

    /// <summary>Sets several response headers.</summary>
    /// <param name="headers">Name and value pairs.</param>
    public ResultWithHeaders<TResult> WithHeaders(params ReadOnlySpan<(string Name, string Value)> headers)
    {
        HeaderField.SetAll(Headers, headers);

        return this;
    }

    /// <summary>Sets several response headers, for example from a dictionary.</summary>
    /// <param name="headers">Name and value pairs.</param>
    public ResultWithHeaders<TResult> WithHeaders(IEnumerable<KeyValuePair<string, string>> headers)
    {
        HeaderField.SetAll(Headers, headers);

        return this;
    }

    /// <summary>Adds the headers, then lets the inner result write the status code and the body.</summary>
    /// <param name="httpContext">The request's context.</param>
    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        HeaderField.CopyTo(Headers, httpContext.Response.Headers);
        return Result.ExecuteAsync(httpContext);
    }

    /// <summary>Forwards to the inner result's metadata (response types for OpenAPI), when it provides any.</summary>
    /// <param name="method">The route handler.</param>
    /// <param name="builder">The endpoint being built.</param>
    static void IEndpointMetadataProvider.PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        InnerResultMetadata.Populate<TResult>(method, builder);
}

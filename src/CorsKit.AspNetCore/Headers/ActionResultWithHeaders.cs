using CorsKit.AspNetCore.Headers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.Extensions.Primitives;

namespace CorsKit.AspNetCore;

/// <summary>
/// A controller result with response headers added: <c>return Ok(item).WithHeader("X-Total-Count", "2");</c>. It is an
/// <see cref="ActionResult"/>, so it also converts to <c>ActionResult&lt;T&gt;</c>. Before result filters run, CorsKit writes the
/// headers and hands the inner result back to MVC, so filters see it unchanged ([ApiController] still turns
/// <c>NotFound()</c> into ProblemDetails).
/// </summary>
public sealed class ActionResultWithHeaders : ActionResult, IStatusCodeActionResult
{
    internal ActionResultWithHeaders(IActionResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        Result = result;
    }

    /// <summary>The inner result, which writes the status code and the body.</summary>
    public IActionResult Result { get; }

    /// <summary>
    /// The headers to add, written before the inner result runs. A header the inner result sets itself keeps the inner
    /// result's value (<c>Location</c> of a 201; <c>Content-Type</c> of JSON results, whose type is passed to them instead);
    /// a text result with no type of its own uses the <c>Content-Type</c> set here. Every write (indexer, <c>Add</c>,
    /// <c>Append</c>, typed properties) is checked as <c>WithHeader</c> checks it: a bad name or value throws
    /// <see cref="ArgumentException"/> at that call and leaves the headers unchanged.
    /// </summary>
    public IHeaderDictionary Headers { get; } = new CheckedHeaderDictionary();

    /// <summary>The inner result's status code, if it declares one.</summary>
    public int? StatusCode => (Result as IStatusCodeActionResult)?.StatusCode;

    /// <summary>Sets a response header (replacing an earlier value of the same name).</summary>
    /// <param name="name">The header name; must be a token.</param>
    /// <param name="value">The value: visible ASCII, no line breaks.</param>
    /// <exception cref="ArgumentException">The name or the value cannot be sent.</exception>
    public ActionResultWithHeaders WithHeader(string name, StringValues value)
    {
        HeaderField.Set(Headers, name, value);
        return this;
    }

    /// <summary>Sets several response headers.</summary>
    /// <param name="headers">Name and value pairs.</param>
    public ActionResultWithHeaders WithHeaders(params ReadOnlySpan<(string Name, string Value)> headers)
    {
        HeaderField.SetAll(Headers, headers);

        return this;
    }

    /// <summary>Sets several response headers, for example from a dictionary.</summary>
    /// <param name="headers">Name and value pairs.</param>
    public ActionResultWithHeaders WithHeaders(IEnumerable<KeyValuePair<string, string>> headers)
    {
        HeaderField.SetAll(Headers, headers);

        return this;
    }

    /// <summary>Adds the headers, then executes the inner result (used when no result filter unwrapped it first).</summary>
    /// <param name="context">The action's context.</param>
    public override Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        HeaderField.CopyTo(Headers, context.HttpContext.Response.Headers);
        return Result.ExecuteResultAsync(context);
    }
}

using System.Text.Json;
using CorsKit.AspNetCore.Headers;
using CorsKit.AspNetCore.Replies;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.Extensions.Primitives;

namespace CorsKit.AspNetCore;

/// <summary>
/// A whole HTTP response built as a value, as Flask's <c>flask.Response("Foo bar baz")</c>: body (text, HTML, bytes, a
/// stream or JSON), status code, content type, headers and cookies. Return it from a minimal API (it is an
/// <see cref="IResult"/>) or from a controller (it is an <see cref="ActionResult"/>, so also an <c>ActionResult&lt;T&gt;</c>).
/// </summary>
/// <remarks>
/// Not called <c>Response</c>: that name is taken by <c>HttpContext.Response</c> and <c>ControllerBase.Response</c>, and
/// inside a controller <c>new Response(...)</c> would not even compile. Unlike Flask, a text reply is
/// <c>text/plain</c>, not <c>text/html</c>: HTML is asked for with <see cref="Html"/>, so text from users is never
/// rendered as markup by accident.
/// </remarks>
public sealed class Reply : ActionResult, IResult, IStatusCodeHttpResult, IContentTypeHttpResult, IStatusCodeActionResult
{
    private const string PlainText = "text/plain; charset=utf-8";
    private readonly ReplyBody _body;
    private List<Action<HttpResponse>>? _cookies;

    /// <summary>A text reply: <c>text/plain; charset=utf-8</c>, encoded as UTF-8.</summary>
    /// <param name="text">The body.</param>
    /// <param name="statusCode">The status code. Default 200.</param>
    public Reply(string text, int statusCode = StatusCodes.Status200OK)
        : this(new ReplyBody.Text(text ?? throw new ArgumentNullException(nameof(text))), statusCode, PlainText)
    {
    }

    private Reply(ReplyBody body, int statusCode, string? contentType)
    {
        _body = body;
        StatusCode = statusCode;
        if (contentType is not null)
        {
            Headers.ContentType = contentType;
        }
    }

    /// <summary>The status code. Default 200 (204 for <see cref="Empty"/>).</summary>
    public int StatusCode { get; set; }

    /// <summary>The <c>Content-Type</c> header (the same as <c>Headers.ContentType</c>).</summary>
    /// <exception cref="ArgumentException">Set to a value that cannot be sent (a line break, a control or a non-ASCII character).</exception>
    public string? ContentType
    {
        get => Headers.ContentType;
        set => Headers.ContentType = value;
    }

    /// <summary>
    /// The response headers, as Flask's <c>resp.headers</c>: <c>reply.Headers["X-Foo"] = "bar"</c>. Every write (indexer,
    /// <c>Add</c>, <c>Append</c>, typed properties) is checked as <see cref="WithHeader"/> checks it: a bad name or value
    /// throws <see cref="ArgumentException"/> at that call and leaves the headers unchanged.
    /// </summary>
    public IHeaderDictionary Headers { get; } = new CheckedHeaderDictionary();

    int? IStatusCodeHttpResult.StatusCode => StatusCode;

    int? IStatusCodeActionResult.StatusCode => StatusCode;

    /// <summary>An HTML reply: <c>text/html; charset=utf-8</c>. Encode what users typed before putting it in (<c>HtmlEncoder</c>).</summary>
    /// <param name="html">The markup.</param>
    /// <param name="statusCode">The status code. Default 200.</param>
    public static Reply Html(string html, int statusCode = StatusCodes.Status200OK)
    {
        ArgumentNullException.ThrowIfNull(html);
        return new(new ReplyBody.Text(html), statusCode, "text/html; charset=utf-8");
    }

    /// <summary>A reply of bytes, sent as they are.</summary>
    /// <param name="body">The bytes.</param>
    /// <param name="contentType">The content type. Default <c>application/octet-stream</c>.</param>
    /// <param name="statusCode">The status code. Default 200.</param>
    public static Reply Bytes(ReadOnlyMemory<byte> body, string contentType = "application/octet-stream", int statusCode = StatusCodes.Status200OK) =>
        new(new ReplyBody.Bytes(body), statusCode, contentType);

    /// <summary>A reply copied from a stream, which is disposed once sent (its length is sent when it can seek).</summary>
    /// <param name="body">The stream, read from its current position.</param>
    /// <param name="contentType">The content type. Default <c>application/octet-stream</c>.</param>
    /// <param name="statusCode">The status code. Default 200.</param>
    public static Reply Stream(Stream body, string contentType = "application/octet-stream", int statusCode = StatusCodes.Status200OK)
    {
        ArgumentNullException.ThrowIfNull(body);
        return new(new ReplyBody.Streamed(body), statusCode, contentType);
    }

    /// <summary>A JSON reply: <c>application/json; charset=utf-8</c>.</summary>
    /// <typeparam name="TValue">The type to serialize as.</typeparam>
    /// <param name="value">The value.</param>
    /// <param name="statusCode">The status code. Default 200.</param>
    /// <param name="options">Serializer options. Default: the app's minimal-API JSON options (camelCase unless configured).</param>
    public static Reply Json<TValue>(TValue value, int statusCode = StatusCodes.Status200OK, JsonSerializerOptions? options = null) =>
        new(new ReplyBody.Json(value, typeof(TValue), options), statusCode, "application/json; charset=utf-8");

    /// <summary>A reply with no body.</summary>
    /// <param name="statusCode">The status code. Default 204.</param>
    public static Reply Empty(int statusCode = StatusCodes.Status204NoContent) => new(ReplyBody.Empty, statusCode, null);

    /// <summary>Sets the status code.</summary>
    /// <param name="statusCode">The status code.</param>
    public Reply WithStatus(int statusCode)
    {
        StatusCode = statusCode;
        return this;
    }

    /// <summary>Sets the <c>Content-Type</c> header.</summary>
    /// <param name="contentType">The media type, such as <c>text/csv; charset=utf-8</c>.</param>
    public Reply WithContentType(string contentType)
    {
        HeaderField.Set(Headers, "Content-Type", contentType);
        return this;
    }

    /// <summary>Sets a response header (replacing an earlier value of the same name).</summary>
    /// <param name="name">The header name; must be a token.</param>
    /// <param name="value">The value: visible ASCII, no line breaks.</param>
    /// <exception cref="ArgumentException">The name or the value cannot be sent.</exception>
    public Reply WithHeader(string name, StringValues value)
    {
        HeaderField.Set(Headers, name, value);
        return this;
    }

    /// <summary>Sets several response headers.</summary>
    /// <param name="headers">Name and value pairs.</param>
    public Reply WithHeaders(params ReadOnlySpan<(string Name, string Value)> headers)
    {
        HeaderField.SetAll(Headers, headers);

        return this;
    }

    /// <summary>Sets several response headers, for example from a dictionary.</summary>
    /// <param name="headers">Name and value pairs.</param>
    public Reply WithHeaders(IEnumerable<KeyValuePair<string, string>> headers)
    {
        HeaderField.SetAll(Headers, headers);

        return this;
    }

    /// <summary>Sets a cookie (<c>Set-Cookie</c>), as Flask's <c>resp.set_cookie</c>.</summary>
    /// <param name="name">The cookie's name: a token such as <c>session</c> (RFC 6265 section 4.1.1).</param>
    /// <param name="value">The cookie's value: any text, percent-encoded by ASP.NET Core as <c>Request.Cookies</c> decodes it.</param>
    /// <param name="options">
    /// Path, domain, expiry, <c>Secure</c>, <c>HttpOnly</c>, <c>SameSite</c>. Default: path <c>/</c>, a session cookie. Copied
    /// here, so a later change to them does not reach this cookie.
    /// </param>
    /// <exception cref="ArgumentException">
    /// The name is not a token, the value has a lone surrogate, the path or an extension has a <c>;</c>, a control or a
    /// non-ASCII character, or the domain is not a host name.
    /// </exception>
    public Reply WithCookie(string name, string value, CookieOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(value);
        CookieField.Validate(name, value, options);
        if (options is null)
        {
            (_cookies ??= []).Add(r => r.Cookies.Append(name, value));
        }
        else
        {
            var copy = new CookieOptions(options);
            (_cookies ??= []).Add(r => r.Cookies.Append(name, value, copy));
        }

        return this;
    }

    /// <summary>Deletes a cookie (an expired <c>Set-Cookie</c>), as Flask's <c>resp.delete_cookie</c>.</summary>
    /// <param name="name">The cookie's name: a token such as <c>session</c>.</param>
    /// <param name="options">The path and domain the cookie was set with. Default: path <c>/</c>. Copied here.</param>
    /// <exception cref="ArgumentException">The name, the path or the domain is refused, as by <see cref="WithCookie"/>.</exception>
    public Reply DeleteCookie(string name, CookieOptions? options = null)
    {
        CookieField.Validate(name, null, options);
        if (options is null)
        {
            (_cookies ??= []).Add(r => r.Cookies.Delete(name));
        }
        else
        {
            var copy = new CookieOptions(options);
            (_cookies ??= []).Add(r => r.Cookies.Delete(name, copy));
        }

        return this;
    }

    /// <summary>Writes the reply: status code, headers, cookies, then the body.</summary>
    /// <param name="httpContext">The request's context.</param>
    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = StatusCode;
        HeaderField.CopyTo(Headers, response.Headers);
        if (_cookies is not null)
        {
            foreach (var cookie in _cookies)
            {
                cookie(response);
            }
        }

        return _body.WriteAsync(response);
    }

    /// <summary>Writes the reply from a controller.</summary>
    /// <param name="context">The action's context.</param>
    public override Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ExecuteAsync(context.HttpContext);
    }
}

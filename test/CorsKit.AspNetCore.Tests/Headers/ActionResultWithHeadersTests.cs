using CorsKit.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace CorsKit.AspNetCore.Tests.Headers;

/// <summary><c>.WithHeader(...)</c> and <see cref="Reply"/> from controllers.</summary>
public sealed class ActionResultWithHeadersTests : IAsyncLifetime
{
    private const string App = "https://app.example.com";
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync(
        o => o.AddDefaultPolicy(p => p.WithOrigins(App)),
        app => app.MapControllers(),
        builder => builder.Services.AddControllersOnly(typeof(FruitsController)));

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task WithHeader_Ok_KeepsStatusAndBody()
    {
        var response = await _app.GetAsync("/fruits/ok", App);

        await ResponseAssert.BodyAsync(response, 200, """{"name":"apple"}""");
        ResponseAssert.Headers(response, ("Content-Type", "application/json; charset=utf-8"), ("X-Total-Count", "1"), ("Access-Control-Allow-Origin", App), ("Vary", "Origin"));
    }

    [Fact]
    public async Task WithHeader_ActionResultOfT_ConvertsAndChains()
    {
        var response = await _app.GetAsync("/fruits/typed", null);

        await ResponseAssert.BodyAsync(response, 200, """{"name":"pear"}""");
        ResponseAssert.Headers(response, ("Content-Type", "application/json; charset=utf-8"), ("X-Kind", "typed"), ("X-A", "1"), ("X-B", "2"), ("Vary", "Origin"));
    }

    [Fact]
    public async Task WithHeader_ApiControllerNotFound_StillBecomesProblemDetails()
    {
        var response = await _app.GetAsync("/fruits/missing", App);

        await ProblemAssert.BodyAsync(response, 404, "https://tools.ietf.org/html/rfc9110#section-15.5.5", "Not Found");
        ResponseAssert.Headers(response, ("Content-Type", "application/problem+json; charset=utf-8"), ("X-Reason", "no such fruit"), ("Access-Control-Allow-Origin", App), ("Vary", "Origin"));
    }

    [Fact]
    public async Task WithHeader_SetByALaterResultFilter_ExecutedByTheWrapperItself()
    {
        var response = await _app.GetAsync("/fruits/filtered", null);

        await ResponseAssert.BodyAsync(response, 200, "from the filter");
        ResponseAssert.Headers(response, ("Content-Length", "15"), ("Content-Type", "text/plain; charset=utf-8"), ("X-From-Filter", "yes"), ("Vary", "Origin"));
    }

    [Fact]
    public async Task Headers_GoodWrites_SentExactly()
    {
        var response = await _app.GetAsync("/fruits/headers", App);

        await ResponseAssert.BodyAsync(response, 200, """{"name":"kiwi"}""");
        ResponseAssert.Headers(response, ("Content-Type", "application/json; charset=utf-8"), ("X-A", "1"), ("X-B", "2, 3"), ("Access-Control-Allow-Origin", App), ("Vary", "Origin"));
    }

    [Fact]
    public async Task Headers_BadAppend_ThrowsAtTheCallWithWithHeadersMessageAndChangesNothing()
    {
        var response = await _app.GetAsync("/fruits/refused", App);

        await ResponseAssert.BodyAsync(response, 200, "ArgumentException: the value of header 'X-B' has a line break, a control or a non-ASCII character (U+00E9 at index 0), which Kestrel refuses to send; encode it (for example with Uri.EscapeDataString) (Parameter 'value')\nheaders after: X-A: 1");
    }

    [Fact]
    public async Task Reply_FromAController_WrittenAsIs()
    {
        var response = await _app.GetAsync("/fruits/reply", App);

        await ResponseAssert.BodyAsync(response, 202, "queued");
        ResponseAssert.Headers(
            response,
            ("Content-Length", "6"),
            ("Content-Type", "text/plain; charset=utf-8"),
            ("X-Queue", "fruit"),
            ("Set-Cookie", "last=fig; path=/; httponly"),
            ("Access-Control-Allow-Origin", App),
            ("Vary", "Origin"));
    }
}

[ApiController]
[Route("fruits")]
public sealed class FruitsController : ControllerBase
{
    [HttpGet("ok")]
    public IActionResult GetOk() => Ok(new Fruit("apple")).WithHeader("X-Total-Count", "1");

    [HttpGet("typed")]
    public ActionResult<Fruit> GetTyped() => Ok(new Fruit("pear")).WithHeader("X-Kind", "typed").WithHeaders(("X-A", "1"), ("X-B", "2"));

    [HttpGet("headers")]
    public IActionResult GetWithHeaders()
    {
        var result = Ok(new Fruit("kiwi")).WithHeader("X-A", "1");
        result.Headers["X-B"] = "2";
        result.Headers.Append("X-B", "3");
        return result;
    }

    [HttpGet("refused")]
    public IActionResult GetRefused()
    {
        var result = Ok(new Fruit("kiwi")).WithHeader("X-A", "1");
        try
        {
            result.Headers.Append("X-B", "\u00e9");
        }
        catch (ArgumentException error)
        {
            return Content($"{error.GetType().Name}: {error.Message}\nheaders after: {string.Join(" | ", result.Headers.Select(h => $"{h.Key}: {h.Value}"))}");
        }

        return StatusCode(StatusCodes.Status500InternalServerError);
    }

    [HttpGet("missing")]
    public IActionResult GetMissing() => NotFound().WithHeader("X-Reason", "no such fruit");

    [HttpGet("filtered")]
    [ReplaceResult]
    public IActionResult GetFiltered() => Ok();

    [HttpGet("reply")]
    public Reply GetReply() => new Reply("queued", StatusCodes.Status202Accepted)
        .WithHeader("X-Queue", "fruit")
        .WithCookie("last", "fig", new CookieOptions { HttpOnly = true });
}

/// <summary>A result filter that runs after CorsKit's and puts a result with headers in place: the wrapper then writes the headers itself.</summary>
public sealed class ReplaceResultAttribute : ResultFilterAttribute
{
    public override void OnResultExecuting(ResultExecutingContext context) =>
        context.Result = new ContentResult { Content = "from the filter", ContentType = "text/plain; charset=utf-8" }.WithHeader("X-From-Filter", "yes");
}

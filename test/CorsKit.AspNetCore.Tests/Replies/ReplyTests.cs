using System.Text;
using System.Text.Json;
using CorsKit.AspNetCore.Tests.Headers;
using CorsKit.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CorsKit.AspNetCore.Tests.Replies;

/// <summary>Flask's <c>flask.Response(...)</c>: a whole response built as a value, returned from minimal APIs.</summary>
public sealed class ReplyTests : IAsyncLifetime
{
    private const string App = "https://app.example.com";
    private readonly MemoryStream _stream = new(Encoding.UTF8.GetBytes("streamed body"));
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync(
        o => o.AddDefaultPolicy(p => p.WithOrigins(App)),
        app =>
        {
            app.MapGet("/text", () =>
            {
                var reply = new Reply("Foo bar baz");
                reply.Headers["X-Foo"] = "bar";
                return reply;
            });
            app.MapGet("/html", () => Reply.Html("<h1>Hi</h1>").WithHeader("X-Page", "home"));
            app.MapGet("/status", () => new Reply("no such page", StatusCodes.Status404NotFound));
            app.MapGet("/json", () => Reply.Json(new Fruit("fig"), StatusCodes.Status201Created).WithHeaders(("X-A", "1"), ("X-B", "2")));
            app.MapGet("/json-options", () => Reply.Json(new Fruit("fig"), options: new JsonSerializerOptions()));
            app.MapGet("/bytes", () => Reply.Bytes(new byte[] { 1, 2, 3 }, "application/x-demo"));
            app.MapGet("/stream", () => Reply.Stream(_stream, "text/plain"));
            app.MapGet("/unseekable", () => Reply.Stream(new OneWayStream("once"), "text/plain"));
            app.MapGet("/empty", () => Reply.Empty());
            app.MapGet("/csv", () => new Reply("a,b\n1,2\n").WithContentType("text/csv; charset=utf-8"));
            app.MapGet("/cookies", () => new Reply("signed in")
                .WithCookie("session", "abc123", new CookieOptions { HttpOnly = true, Secure = true, SameSite = SameSiteMode.Strict })
                .WithCookie("theme", "dark")
                .DeleteCookie("legacy"));
        },
        builder => builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseUpper));

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Reply_Text_FlaskResponseWithAHeader()
    {
        var response = await _app.GetAsync("/text", App);

        await ResponseAssert.BodyAsync(response, 200, "Foo bar baz");
        ResponseAssert.Headers(
            response,
            ("Content-Length", "11"),
            ("Content-Type", "text/plain; charset=utf-8"),
            ("X-Foo", "bar"),
            ("Access-Control-Allow-Origin", App),
            ("Vary", "Origin"));
    }

    [Fact]
    public async Task Reply_Html_TextHtmlUtf8()
    {
        var response = await _app.GetAsync("/html", null);

        await ResponseAssert.BodyAsync(response, 200, "<h1>Hi</h1>");
        ResponseAssert.Headers(response, ("Content-Length", "11"), ("Content-Type", "text/html; charset=utf-8"), ("X-Page", "home"), ("Vary", "Origin"));
    }

    [Fact]
    public async Task Reply_Status_Sent()
    {
        var response = await _app.GetAsync("/status", null);

        await ResponseAssert.BodyAsync(response, 404, "no such page");
    }

    [Fact]
    public async Task Reply_Json_UsesTheAppsJsonOptions()
    {
        var response = await _app.GetAsync("/json", null);

        await ResponseAssert.BodyAsync(response, 201, """{"NAME":"fig"}""");
        ResponseAssert.Headers(response, ("Content-Type", "application/json; charset=utf-8"), ("X-A", "1"), ("X-B", "2"), ("Vary", "Origin"));
    }

    [Fact]
    public async Task Reply_JsonWithOptions_UsesThoseOptions()
    {
        var response = await _app.GetAsync("/json-options", null);

        await ResponseAssert.BodyAsync(response, 200, """{"Name":"fig"}""");
    }

    [Fact]
    public async Task Reply_Bytes_SentAsTheyAreWithTheirLength()
    {
        var response = await _app.GetAsync("/bytes", null);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(new byte[] { 1, 2, 3 }, await response.Content.ReadAsByteArrayAsync());
        ResponseAssert.Headers(response, ("Content-Length", "3"), ("Content-Type", "application/x-demo"), ("Vary", "Origin"));
    }

    [Fact]
    public async Task Reply_SeekableStream_CopiedWithItsLengthThenDisposed()
    {
        var response = await _app.GetAsync("/stream", null);

        await ResponseAssert.BodyAsync(response, 200, "streamed body");
        ResponseAssert.Headers(response, ("Content-Length", "13"), ("Content-Type", "text/plain"), ("Vary", "Origin"));
        Assert.False(_stream.CanRead);
    }

    [Fact]
    public async Task Reply_UnseekableStream_CopiedWithoutALength()
    {
        var response = await _app.GetAsync("/unseekable", null);

        await ResponseAssert.BodyAsync(response, 200, "once");
        ResponseAssert.Headers(response, ("Content-Type", "text/plain"), ("Vary", "Origin"));
    }

    [Fact]
    public async Task Reply_Empty_204WithNothingElse()
    {
        var response = await _app.GetAsync("/empty", null);

        await ResponseAssert.BodyAsync(response, 204, string.Empty);
        ResponseAssert.Headers(response, ("Vary", "Origin"));
    }

    [Fact]
    public async Task Reply_WithContentType_ReplacesTheDefault()
    {
        var response = await _app.GetAsync("/csv", null);

        await ResponseAssert.BodyAsync(response, 200, "a,b\n1,2\n");
        ResponseAssert.Headers(response, ("Content-Length", "8"), ("Content-Type", "text/csv; charset=utf-8"), ("Vary", "Origin"));
    }

    [Fact]
    public async Task Reply_Cookies_SetAndDeleted()
    {
        var response = await _app.GetAsync("/cookies", null);

        await ResponseAssert.BodyAsync(response, 200, "signed in");
        ResponseAssert.Headers(
            response,
            ("Content-Length", "9"),
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Set-Cookie", "session=abc123; path=/; secure; samesite=strict; httponly, theme=dark; path=/, legacy=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/"),
            ("Vary", "Origin"));
    }

    [Fact]
    public void Reply_DescribesItselfToResultInspectors()
    {
        var reply = new Reply("x", StatusCodes.Status202Accepted);

        Assert.Equal(202, ((IStatusCodeHttpResult)reply).StatusCode);
        Assert.Equal(202, ((Microsoft.AspNetCore.Mvc.Infrastructure.IStatusCodeActionResult)reply).StatusCode);
        Assert.Equal("text/plain; charset=utf-8", ((IContentTypeHttpResult)reply).ContentType);
    }

    [Fact]
    public void Reply_InvalidHeader_ThrowsAtTheCall()
    {
        var error = Assert.Throws<ArgumentException>(() => new Reply("x").WithHeader("X-Bad", "a\nb"));

        Assert.Equal("value", error.ParamName);
    }

    /// <summary>A stream that can be read once and cannot seek, like a network stream.</summary>
    private sealed class OneWayStream(string text) : Stream
    {
        private readonly MemoryStream _inner = new(Encoding.UTF8.GetBytes(text));

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

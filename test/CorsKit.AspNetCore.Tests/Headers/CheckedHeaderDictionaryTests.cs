using CorsKit.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

// ASP0019 steers apps from IHeaderDictionary.Add to the indexer; Add is one of the write paths under test here.
#pragma warning disable ASP0019

namespace CorsKit.AspNetCore.Tests.Headers;

/// <summary>
/// Flask's <c>resp.headers[name] = value</c> on <see cref="Reply"/> and on <c>.WithHeader(...)</c> results: every way of
/// writing a header is checked at the call, with <c>WithHeader</c>'s message, and a refused write changes nothing.
/// </summary>
public sealed class CheckedHeaderDictionaryTests : IAsyncLifetime
{
    private const string App = "https://app.example.com";
    private const string BadValue = "bar\r\nSet-Cookie: evil=1";

    // The ways to write a header: each is given the reply (for its ContentType) and the headers under test.
    private static readonly Dictionary<string, Action<Reply, IHeaderDictionary>> BadWrites = new()
    {
        ["indexer"] = (_, h) => h["X-Foo"] = BadValue,
        ["indexer-name"] = (_, h) => h["X Foo"] = "bar",
        ["dictionary-indexer"] = (_, h) => ((IDictionary<string, StringValues>)h)["X-Foo"] = BadValue,
        ["add"] = (_, h) => h.Add("X-Foo", BadValue),
        ["add-name"] = (_, h) => h.Add("X:Foo", "bar"),
        ["add-pair"] = (_, h) => h.Add(new KeyValuePair<string, StringValues>("X-Foo", BadValue)),
        ["try-add"] = (_, h) => h.TryAdd("X-Foo", BadValue),
        ["append"] = (_, h) => h.Append("X-Kept", "2\u00e9"),
        ["typed-property"] = (_, h) => h.CacheControl = "no-store\n",
        ["content-type"] = (r, _) => r.ContentType = "text/plain\r\nX-Evil: 1",
        ["with-content-type"] = (r, _) => r.WithContentType("text/plain\0"),
    };

    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await StartAsync(kestrel: false);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("reply", "indexer", "the value of header 'X-Foo' has a line break, a control or a non-ASCII character (U+000D at index 3), which Kestrel refuses to send; encode it (for example with Uri.EscapeDataString) (Parameter 'value')")]
    [InlineData("result", "indexer", "the value of header 'X-Foo' has a line break, a control or a non-ASCII character (U+000D at index 3), which Kestrel refuses to send; encode it (for example with Uri.EscapeDataString) (Parameter 'value')")]
    [InlineData("reply", "indexer-name", "\"X Foo\" is not a header name: U+0020 at index 1; a header name is a token such as X-Request-Id (RFC 9110 section 5.1) (Parameter 'name')")]
    [InlineData("result", "dictionary-indexer", "the value of header 'X-Foo' has a line break, a control or a non-ASCII character (U+000D at index 3), which Kestrel refuses to send; encode it (for example with Uri.EscapeDataString) (Parameter 'value')")]
    [InlineData("reply", "add", "the value of header 'X-Foo' has a line break, a control or a non-ASCII character (U+000D at index 3), which Kestrel refuses to send; encode it (for example with Uri.EscapeDataString) (Parameter 'value')")]
    [InlineData("result", "add-name", "\"X:Foo\" is not a header name: U+003A at index 1; a header name is a token such as X-Request-Id (RFC 9110 section 5.1) (Parameter 'name')")]
    [InlineData("reply", "add-pair", "the value of header 'X-Foo' has a line break, a control or a non-ASCII character (U+000D at index 3), which Kestrel refuses to send; encode it (for example with Uri.EscapeDataString) (Parameter 'value')")]
    [InlineData("result", "try-add", "the value of header 'X-Foo' has a line break, a control or a non-ASCII character (U+000D at index 3), which Kestrel refuses to send; encode it (for example with Uri.EscapeDataString) (Parameter 'value')")]
    [InlineData("reply", "append", "the value of header 'X-Kept' has a line break, a control or a non-ASCII character (U+00E9 at index 1 in value 2 of 2), which Kestrel refuses to send; encode it (for example with Uri.EscapeDataString) (Parameter 'value')")]
    [InlineData("result", "typed-property", "the value of header 'Cache-Control' has a line break, a control or a non-ASCII character (U+000A at index 8), which Kestrel refuses to send; encode it (for example with Uri.EscapeDataString) (Parameter 'value')")]
    [InlineData("reply", "content-type", "the value of header 'Content-Type' has a line break, a control or a non-ASCII character (U+000D at index 10), which Kestrel refuses to send; encode it (for example with Uri.EscapeDataString) (Parameter 'value')")]
    [InlineData("reply", "with-content-type", "the value of header 'Content-Type' has a line break, a control or a non-ASCII character (U+0000 at index 10), which Kestrel refuses to send; encode it (for example with Uri.EscapeDataString) (Parameter 'value')")]
    public async Task Headers_BadWrite_ThrowsAtTheCallWithWithHeadersMessageAndChangesNothing(string target, string write, string message)
    {
        var response = await _app.GetAsync($"/refused/{target}/{write}", App);

        var kept = target == "reply" ? "Content-Type: text/plain; charset=utf-8 | X-Kept: 1" : "X-Kept: 1";
        await ResponseAssert.BodyAsync(response, 200, $"ArgumentException: {message}\nheaders after: {kept}");
    }

    [Fact]
    public void WithHeader_SameBadValue_SameMessageAsTheIndexer()
    {
        var reply = new Reply("x");

        var fromWithHeader = Assert.Throws<ArgumentException>(() => reply.WithHeader("X-Foo", BadValue));
        var fromIndexer = Assert.Throws<ArgumentException>(() => reply.Headers["X-Foo"] = BadValue);

        Assert.Equal(fromWithHeader.Message, fromIndexer.Message);
        Assert.Equal(fromWithHeader.ParamName, fromIndexer.ParamName);
    }

    [Fact]
    public void ReplyFactory_BadContentType_ThrowsAtTheCall()
    {
        var error = Assert.Throws<ArgumentException>(() => Reply.Bytes(new byte[] { 1 }, "application/x-\u00e9"));

        Assert.Equal("the value of header 'Content-Type' has a line break, a control or a non-ASCII character (U+00E9 at index 14), which Kestrel refuses to send; encode it (for example with Uri.EscapeDataString) (Parameter 'value')", error.Message);
    }

    [Fact]
    public async Task Headers_GoodWritesOnAReply_SentExactly()
    {
        var response = await _app.GetAsync("/accepted/reply", App);

        await ResponseAssert.BodyAsync(response, 200, "Foo bar baz");
        ResponseAssert.Headers(response, ReplyHeaders);
    }

    [Fact]
    public async Task Headers_GoodWritesOnAResult_SentExactly()
    {
        var response = await _app.GetAsync("/accepted/result", App);

        await ResponseAssert.BodyAsync(response, 200, "chained");
        ResponseAssert.Headers(
            response,
            ("Content-Length", "7"),
            ("Content-Type", "text/plain; charset=utf-8"),
            ("X-One", "1"),
            ("X-Foo", "bar"),
            ("X-Add", "2"),
            ("X-List", "a, b"),
            ("Access-Control-Allow-Origin", App),
            ("Vary", "Origin"));
    }

    [Fact]
    public async Task Headers_OnKestrel_GoodWritesSentExactlyAndBadWriteRefusedAtTheCall()
    {
        await using var kestrel = await StartAsync(kestrel: true);

        var accepted = await kestrel.GetAsync("/accepted/reply", App);
        var refused = await kestrel.GetAsync("/refused/reply/indexer", App);

        await ResponseAssert.BodyAsync(accepted, 200, "Foo bar baz");
        ResponseAssert.Headers(accepted, ReplyHeaders);
        await ResponseAssert.BodyAsync(refused, 200, "ArgumentException: the value of header 'X-Foo' has a line break, a control or a non-ASCII character (U+000D at index 3), which Kestrel refuses to send; encode it (for example with Uri.EscapeDataString) (Parameter 'value')\nheaders after: Content-Type: text/plain; charset=utf-8 | X-Kept: 1");
    }

    private static (string, string)[] ReplyHeaders =>
    [
        ("Cache-Control", "no-store"),
        ("Content-Length", "11"),
        ("Content-Type", "text/csv; charset=utf-8"),
        ("X-Foo", "bar"),
        ("X-Add", "1"),
        ("X-Try", "2"),
        ("X-List", "a, b"),
        ("Access-Control-Allow-Origin", App),
        ("Vary", "Origin"),
    ];

    private static Task<TestApp> StartAsync(bool kestrel) => TestApp.StartAsync(
        o => o.AddDefaultPolicy(p => p.WithOrigins(App)),
        app =>
        {
            app.MapGet("/accepted/reply", () =>
            {
                var reply = new Reply("Foo bar baz");
                reply.Headers["X-Foo"] = "bar";
                reply.Headers.Add("X-Add", "1");
                reply.Headers.TryAdd("X-Try", "2");
                reply.Headers.Append("X-List", "a");
                reply.Headers.Append("X-List", "b");
                reply.Headers.CacheControl = "no-store";
                reply.ContentType = "text/csv; charset=utf-8";
                return reply;
            });
            app.MapGet("/accepted/result", () =>
            {
                var result = Results.Text("chained").WithHeader("X-One", "1");
                result.Headers["X-Foo"] = "bar";
                result.Headers.Add("X-Add", "2");
                result.Headers.Append("X-List", "a");
                result.Headers.Append("X-List", "b");
                return result;
            });

            // Makes one bad write, catches what it throws and answers with it and the headers left afterwards.
            app.MapGet("/refused/{target}/{write}", (string target, string write) =>
            {
                var reply = new Reply("body").WithHeader("X-Kept", "1");
                var result = Results.Text("body").WithHeader("X-Kept", "1");
                var headers = target == "reply" ? reply.Headers : result.Headers;
                try
                {
                    BadWrites[write](reply, headers);
                }
                catch (ArgumentException error)
                {
                    var left = string.Join(" | ", headers.OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => $"{h.Key}: {h.Value}"));
                    return Results.Text($"{error.GetType().Name}: {error.Message}\nheaders after: {left}");
                }

                return Results.Text("not refused", statusCode: StatusCodes.Status500InternalServerError);
            });
        },
        kestrel: kestrel);
}

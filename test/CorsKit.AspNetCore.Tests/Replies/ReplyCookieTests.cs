using CorsKit.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CorsKit.AspNetCore.Tests.Replies;

/// <summary>
/// Flask's <c>resp.set_cookie(...)</c> and <c>resp.delete_cookie(...)</c> on <see cref="Reply"/>: a cookie that
/// <c>Set-Cookie</c> cannot carry (RFC 6265 section 4.1.1) is refused at the call, and the reply is left as it was.
/// </summary>
public sealed class ReplyCookieTests : IAsyncLifetime
{
    private const string App = "https://app.example.com";

    private static readonly Dictionary<string, Action<Reply>> BadCookies = new()
    {
        ["name-space"] = r => r.WithCookie("a b", "v"),
        ["name-semicolon"] = r => r.WithCookie("a;b", "v"),
        ["name-non-ascii"] = r => r.WithCookie("zo\u00eb", "v"),
        ["value-lone-surrogate"] = r => r.WithCookie("a", "x\ud800"),
        ["path-semicolon"] = r => r.WithCookie("a", "v", new CookieOptions { Path = "/a; domain=evil.example" }),
        ["path-line-break"] = r => r.WithCookie("a", "v", new CookieOptions { Path = "/a\r\nX-Evil: 1" }),
        ["domain-slash"] = r => r.WithCookie("a", "v", new CookieOptions { Domain = "example.com/x" }),
        ["domain-non-ascii"] = r => r.WithCookie("a", "v", new CookieOptions { Domain = "zo\u00eb.example" }),
        ["extension-line-break"] = r => r.WithCookie("a", "v", new CookieOptions { Extensions = { "x\r\ny" } }),
        ["delete-name"] = r => r.DeleteCookie("a b"),
        ["delete-path"] = r => r.DeleteCookie("a", new CookieOptions { Path = "/\0" }),
    };

    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync(
        o => o.AddDefaultPolicy(p => p.WithOrigins(App)),
        app =>
        {
            app.MapGet("/accepted", () => new Reply("signed in")
                .WithCookie("session", "a b;c\"\u00e9", new CookieOptions { Path = "/app", Domain = ".example.com", Extensions = { "Partitioned" } })
                .DeleteCookie("legacy", new CookieOptions { Path = "/old" }));
            app.MapGet("/copied", () =>
            {
                var options = new CookieOptions { Path = "/a" };
                var reply = new Reply("x").WithCookie("theme", "dark", options);
                options.Path = "/b;evil";
                return reply;
            });
            app.MapGet("/read", (HttpContext context) => context.Request.Cookies["session"] ?? "(none)");

            // Sets a good cookie, makes one bad call, then sends the reply with what the call threw (percent-encoded) in X-Refused.
            app.MapGet("/refused/{call}", (string call) =>
            {
                var reply = new Reply("signed in").WithCookie("theme", "dark");
                try
                {
                    BadCookies[call](reply);
                }
                catch (ArgumentException error)
                {
                    reply.Headers["X-Refused"] = Uri.EscapeDataString($"{error.GetType().Name}: {error.Message}");
                }

                return reply;
            });
        });

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("name-space", "\"a b\" is not a cookie name: U+0020 at index 1; a cookie name is a token such as session (RFC 6265 section 4.1.1) (Parameter 'name')")]
    [InlineData("name-semicolon", "\"a;b\" is not a cookie name: U+003B at index 1; a cookie name is a token such as session (RFC 6265 section 4.1.1) (Parameter 'name')")]
    [InlineData("name-non-ascii", "\"zo\u00eb\" is not a cookie name: U+00EB at index 2; a cookie name is a token such as session (RFC 6265 section 4.1.1) (Parameter 'name')")]
    [InlineData("value-lone-surrogate", "the value of cookie 'a' has a lone surrogate (U+D800 at index 1), which UTF-8 cannot encode; ASP.NET Core would send U+FFFD in its place (Parameter 'value')")]
    [InlineData("path-semicolon", "the path of cookie 'a' has a ';', a control or a non-ASCII character (U+003B at index 2), which would break its Set-Cookie header; a path is visible ASCII without ';' (RFC 6265 section 4.1.1) (Parameter 'options')")]
    [InlineData("path-line-break", "the path of cookie 'a' has a ';', a control or a non-ASCII character (U+000D at index 2), which would break its Set-Cookie header; a path is visible ASCII without ';' (RFC 6265 section 4.1.1) (Parameter 'options')")]
    [InlineData("domain-slash", "the domain of cookie 'a' has a character a host name cannot have (U+002F at index 11); a domain is letters, digits, '-' and '.' (RFC 6265 section 4.1.1), an international one in its xn-- form (IdnMapping) (Parameter 'options')")]
    [InlineData("domain-non-ascii", "the domain of cookie 'a' has a character a host name cannot have (U+00EB at index 2); a domain is letters, digits, '-' and '.' (RFC 6265 section 4.1.1), an international one in its xn-- form (IdnMapping) (Parameter 'options')")]
    [InlineData("extension-line-break", "an extension of cookie 'a' has a ';', a control or a non-ASCII character (U+000D at index 1), which would break its Set-Cookie header; an extension is visible ASCII without ';' (RFC 6265 section 4.1.1) (Parameter 'options')")]
    [InlineData("delete-name", "\"a b\" is not a cookie name: U+0020 at index 1; a cookie name is a token such as session (RFC 6265 section 4.1.1) (Parameter 'name')")]
    [InlineData("delete-path", "the path of cookie 'a' has a ';', a control or a non-ASCII character (U+0000 at index 1), which would break its Set-Cookie header; a path is visible ASCII without ';' (RFC 6265 section 4.1.1) (Parameter 'options')")]
    public async Task WithCookie_BadNameValuePathOrDomain_ThrowsAtTheCallAndSendsOnlyTheEarlierCookie(string call, string message)
    {
        var response = await _app.GetAsync($"/refused/{call}", App);

        await ResponseAssert.BodyAsync(response, 200, "signed in");
        ResponseAssert.Headers(
            response,
            ("Content-Length", "9"),
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Set-Cookie", "theme=dark; path=/"),
            ("X-Refused", Uri.EscapeDataString($"ArgumentException: {message}")),
            ("Access-Control-Allow-Origin", App),
            ("Vary", "Origin"));
    }

    [Fact]
    public async Task WithCookie_GoodNameAndOptions_SentExactlyWithTheValuePercentEncoded()
    {
        var response = await _app.GetAsync("/accepted", App);

        await ResponseAssert.BodyAsync(response, 200, "signed in");
        ResponseAssert.Headers(
            response,
            ("Content-Length", "9"),
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Set-Cookie", "session=a%20b%3Bc%22%C3%A9; domain=.example.com; path=/app; Partitioned, legacy=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/old"),
            ("Access-Control-Allow-Origin", App),
            ("Vary", "Origin"));
    }

    [Fact]
    public async Task WithCookie_PercentEncodedValue_ReadBackUnchanged()
    {
        var response = await _app.GetAsync("/read", null, ("Cookie", "session=a%20b%3Bc%22%C3%A9"));

        await ResponseAssert.BodyAsync(response, 200, "a b;c\"\u00e9");
    }

    [Fact]
    public async Task WithCookie_OptionsChangedAfterTheCall_SentAsTheyWereAtTheCall()
    {
        var response = await _app.GetAsync("/copied", null);

        await ResponseAssert.BodyAsync(response, 200, "x");
        ResponseAssert.Headers(
            response,
            ("Content-Length", "1"),
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Set-Cookie", "theme=dark; path=/a"),
            ("Vary", "Origin"));
    }
}

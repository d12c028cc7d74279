using CorsKit.AspNetCore.Tests.Infrastructure;
using CorsKit.Demo;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;

namespace CorsKit.AspNetCore.Tests.Demo;

/// <summary>The demo exactly as it ships, on a test server.</summary>
public sealed class DemoAppTests : IAsyncLifetime
{
    private const string Page = "http://127.0.0.1:5081";
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync() => (_app, _client) = await StartAsync("--environment", "Production");

    private static async Task<(WebApplication App, HttpClient Client)> StartAsync(params string[] args)
    {
        var app = DemoApp.Build(args, builder => builder.WebHost.UseTestServer());
        await app.StartAsync();
        return (app, app.GetTestClient());
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? origin, params (string, string)[] headers) =>
        SendAsync(_client, method, path, origin, headers);

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string? origin, params (string, string)[] headers)
    {
        var request = new HttpRequestMessage(method, path);
        if (origin is not null)
        {
            request.Headers.TryAddWithoutValidation("Origin", origin);
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (method == HttpMethod.Post && path == "/hello")
        {
            request.Content = new FormUrlEncodedContent([new("name", "Ada <script>")]);
        }

        return client.SendAsync(request);
    }

    [Fact]
    public async Task Items_Get_FromPage_CredentialedAndExposesTotal()
    {
        var response = await SendAsync(HttpMethod.Get, "/api/items", Page);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("""[{"name":"apple"},{"name":"pear"}]""", await response.Content.ReadAsStringAsync());
        Assert.Equal("2", response.Headers.GetValues("X-Total-Count").Single());
        CorsAssert.Headers(
            response,
            ("Access-Control-Allow-Origin", Page),
            ("Access-Control-Allow-Credentials", "true"),
            ("Access-Control-Expose-Headers", "X-Total-Count"),
            ("Vary", "Origin"));
    }

    [Fact]
    public async Task Items_PreflightPutWithToken_AllowedAndCachedFor600s()
    {
        var response = await SendAsync(HttpMethod.Options, "/api/items", Page, ("Access-Control-Request-Method", "PUT"), ("Access-Control-Request-Headers", "content-type,x-token"));

        Assert.Equal(204, (int)response.StatusCode);
        CorsAssert.Headers(
            response,
            ("Access-Control-Allow-Origin", Page),
            ("Access-Control-Allow-Credentials", "true"),
            ("Access-Control-Allow-Methods", "GET,PUT,DELETE"),
            ("Access-Control-Allow-Headers", "x-token,content-type"),
            ("Access-Control-Max-Age", "600"),
            ("Vary", "Origin"));
    }

    [Fact]
    public async Task Items_FromOtherOrigin_NoCorsHeaders()
    {
        var response = await SendAsync(HttpMethod.Get, "/api/items", "https://evil.example");

        Assert.Equal(200, (int)response.StatusCode);
        CorsAssert.Headers(response, ("Vary", "Origin"));
    }

    [Fact]
    public async Task Public_AnyOrigin_Star()
    {
        var response = await SendAsync(HttpMethod.Get, "/api/public", "https://anyone.example");

        Assert.Equal("""{"message":"Anyone may read this."}""", await response.Content.ReadAsStringAsync());
        CorsAssert.Headers(response, ("Access-Control-Allow-Origin", "*"));
    }

    [Fact]
    public async Task Demo_PageAddressFromCommandLine_ChangesTheAllowedOrigin()
    {
        var (app, client) = await StartAsync("--environment", "Production", "--page", "http://localhost:7001");
        await using var _ = app;

        var response = await SendAsync(client, HttpMethod.Get, "/api/items", "http://localhost:7001");

        Assert.Equal("http://localhost:7001", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Theory]
    [InlineData(null)]                                  // no body and no Content-Type, as curl -X POST sends
    [InlineData("")]                                    // an empty form
    [InlineData("other=1")]                             // a form without the field
    [InlineData("name=")]                               // the field, empty
    public async Task Hello_PostWithoutAName_GreetsTheWorld(string? form)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/hello");
        request.Headers.TryAddWithoutValidation("Origin", Page);
        if (form is not null)
        {
            request.Content = new StringContent(form, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded");
        }

        var response = await _client.SendAsync(request);

        await ResponseAssert.BodyAsync(response, 200, "<!doctype html>\n<title>Hello</title>\n<h1>Hello, World!</h1>\n");
        ResponseAssert.Headers(
            response,
            ("Content-Length", "60"),
            ("Content-Type", "text/html; charset=utf-8"),
            ("X-Something", "A value"),
            ("X-Served-By", "CorsKit.Demo"),
            ("Access-Control-Allow-Origin", Page),
            ("Vary", "Origin"));
    }

    [Fact]
    public async Task Hello_PostForm_RendersTheEncodedPageWithAHeaderForThisResult()
    {
        var response = await SendAsync(HttpMethod.Post, "/hello", Page);

        await ResponseAssert.BodyAsync(response, 200, "<!doctype html>\n<title>Hello</title>\n<h1>Hello, Ada &lt;script&gt;!</h1>\n");
        ResponseAssert.Headers(
            response,
            ("Content-Length", "73"),
            ("Content-Type", "text/html; charset=utf-8"),
            ("X-Something", "A value"),
            ("X-Served-By", "CorsKit.Demo"),
            ("Access-Control-Allow-Origin", Page),
            ("Vary", "Origin"));
    }

    [Fact]
    public async Task Root_Get_ResponseObjectFooBarBazWithItsHeader()
    {
        var response = await SendAsync(HttpMethod.Get, "/", Page);

        await ResponseAssert.BodyAsync(response, 200, "Foo bar baz");
        ResponseAssert.Headers(
            response,
            ("Content-Length", "11"),
            ("Content-Type", "text/plain; charset=utf-8"),
            ("X-Foo", "bar"),
            ("X-Served-By", "CorsKit.Demo"),
            ("Access-Control-Allow-Origin", Page),
            ("Vary", "Origin"));
    }

    [Theory]
    [InlineData("GET", "/api/items", 200)]
    [InlineData("GET", "/api/public", 200)]
    [InlineData("GET", "/missing", 404)]
    [InlineData("DELETE", "/", 405)]
    public async Task AfterRequest_EveryResponse_ServedByTheDemo(string method, string path, int status)
    {
        var response = await SendAsync(new HttpMethod(method), path, Page);

        Assert.Equal(status, (int)response.StatusCode);
        CorsAssert.SingleLine(response, "X-Served-By", "CorsKit.Demo");
    }

    [Fact]
    public async Task AfterRequest_Preflight_ServedByTheDemo()
    {
        var response = await SendAsync(HttpMethod.Options, "/hello", Page, ("Access-Control-Request-Method", "POST"));

        await ResponseAssert.BodyAsync(response, 204, string.Empty);
        ResponseAssert.Headers(
            response,
            ("X-Served-By", "CorsKit.Demo"),
            ("Access-Control-Allow-Origin", Page),
            ("Access-Control-Allow-Methods", "GET,POST"),
            ("Access-Control-Allow-Headers", "content-type"),
            ("Vary", "Origin"));
    }

    [Fact]
    public async Task Boom_Production_500WithCorsAndServedByAndAGenericBody()
    {
        var response = await SendAsync(HttpMethod.Get, "/boom", Page);

        await ResponseAssert.BodyAsync(response, 500, """{"title":"An error occurred while processing your request.","status":500}""");
        ResponseAssert.Headers(
            response,
            ("Content-Type", "application/problem+json"),
            ("X-Served-By", "CorsKit.Demo"),
            ("Access-Control-Allow-Origin", Page),
            ("Vary", "Origin"));
    }

    [Fact]
    public async Task Items_PreflightWithUnlistedHeader_Development_SaysWhyInTheResponse()
    {
        var (app, client) = await StartAsync("--environment", "Development");
        await using var _ = app;

        var response = await SendAsync(client, HttpMethod.Options, "/api/items", Page, ("Access-Control-Request-Method", "PUT"), ("Access-Control-Request-Headers", "x-api-key"));

        await ResponseAssert.BodyAsync(response, 204, string.Empty);
        ResponseAssert.Headers(
            response,
            ("X-Served-By", "CorsKit.Demo"),
            ("Access-Control-Allow-Origin", Page),
            ("Access-Control-Allow-Credentials", "true"),
            ("Access-Control-Allow-Methods", "GET,PUT,DELETE"),
            ("Access-Control-Allow-Headers", "x-token,content-type"),
            ("Vary", "Origin"),
            ("X-CorsKit-Reason", "header 'x-api-key' is not allowed by policy 'items'; allowed: x-token, content-type"));
    }

    [Fact]
    public async Task Boom_Development_500WithCorsAndServedByAndTheException()
    {
        var (app, client) = await StartAsync("--environment", "Development");
        await using var _ = app;

        var response = await SendAsync(client, HttpMethod.Get, "/boom", Page);

        Assert.Equal(500, (int)response.StatusCode);
        var body = (await response.Content.ReadAsStringAsync()).ReplaceLineEndings("\n");
        Assert.StartsWith("System.NullReferenceException: Object reference not set to an instance of an object.\n   at ", body, StringComparison.Ordinal);
        ResponseAssert.Headers(
            response,
            ("Content-Type", "text/plain; charset=utf-8"),
            ("X-Served-By", "CorsKit.Demo"),
            ("Access-Control-Allow-Origin", Page),
            ("Vary", "Origin"));
    }
}

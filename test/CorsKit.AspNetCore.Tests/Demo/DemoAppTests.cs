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

    public async Task InitializeAsync()
    {
        _app = DemoApp.Build(["--environment", "Production"], builder => builder.WebHost.UseTestServer());
        await _app.StartAsync();
        _client = _app.GetTestClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? origin, params (string, string)[] headers)
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

        return _client.SendAsync(request);
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
        await using var app = DemoApp.Build(["--environment", "Production", "--page", "http://localhost:7001"], builder => builder.WebHost.UseTestServer());
        await app.StartAsync();
        using var client = app.GetTestClient();
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/items");
        request.Headers.TryAddWithoutValidation("Origin", "http://localhost:7001");

        var response = await client.SendAsync(request);

        Assert.Equal("http://localhost:7001", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }
}

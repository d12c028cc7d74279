using CorsKit.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;

namespace CorsKit.AspNetCore.Tests.Headers;

public sealed record Fruit(string Name);

/// <summary>Flask's <c>make_response(...)</c> then <c>resp.headers[...] = ...</c>, on minimal-API results.</summary>
public sealed class ResultWithHeadersTests : IAsyncLifetime
{
    private const string App = "https://app.example.com";
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync(
        o => o.AddDefaultPolicy(p => p.WithOrigins(App).WithExposedHeaders("X-Total-Count")),
        app =>
        {
            app.MapGet("/typed", () => TypedResults.Ok(new Fruit("apple")).WithHeader("X-Total-Count", "1"));
            app.MapGet("/chained", () => Results.Text("chained")
                .WithHeader("X-One", "1")
                .WithHeader("X-Two", "2")
                .WithHeaders(("X-Three", "3"), ("X-Four", "4"))
                .WithHeaders(new Dictionary<string, string> { ["X-Five"] = "5" }));
            app.MapGet("/replaced", () => Results.Text("replaced").WithHeader("X-Version", "1").WithHeader("x-version", "2"));
            app.MapGet("/several-values", () => Results.Text("several").WithHeader("Cache-Control", new[] { "no-cache", "no-store" }));
            app.MapPost("/created", () => TypedResults.Created("/fruits/1", new Fruit("pear")).WithHeader("X-Created-By", "test"));
            app.MapGet("/union/{id}", Results<ResultWithHeaders<Ok<Fruit>>, NotFound> (int id) =>
                id == 1 ? TypedResults.Ok(new Fruit("plum")).WithHeader("X-Found", "yes") : TypedResults.NotFound());
            app.MapGet("/content-type/text", () => TypedResults.Text("a,b").WithHeader("Content-Type", "text/csv"));
            app.MapGet("/content-type/json", () => TypedResults.Ok(new Fruit("kiwi")).WithHeader("Content-Type", "application/vnd.fruit+json"));
            app.MapGet("/failing", () => new FailingResult().WithHeader("Cache-Control", "max-age=3600"));
        },
        builder => builder.Services.AddEndpointsApiExplorer());

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task WithHeader_TypedOk_KeepsStatusAndBodyAndAddsTheHeader()
    {
        var response = await _app.GetAsync("/typed", App);

        await ResponseAssert.BodyAsync(response, 200, """{"name":"apple"}""");
        ResponseAssert.Headers(
            response,
            ("Content-Type", "application/json; charset=utf-8"),
            ("X-Total-Count", "1"),
            ("Access-Control-Allow-Origin", App),
            ("Access-Control-Expose-Headers", "X-Total-Count"),
            ("Vary", "Origin"));
    }

    [Fact]
    public async Task WithHeader_Chained_AllHeadersInOneResult()
    {
        var response = await _app.GetAsync("/chained", null);

        await ResponseAssert.BodyAsync(response, 200, "chained");
        ResponseAssert.Headers(
            response,
            ("Content-Length", "7"),
            ("Content-Type", "text/plain; charset=utf-8"),
            ("X-One", "1"),
            ("X-Two", "2"),
            ("X-Three", "3"),
            ("X-Four", "4"),
            ("X-Five", "5"),
            ("Vary", "Origin"));
    }

    [Fact]
    public async Task WithHeader_SameNameTwice_LastValueWinsAsInFlask()
    {
        var response = await _app.GetAsync("/replaced", null);

        CorsAssert.SingleLine(response, "X-Version", "2");
    }

    [Fact]
    public async Task WithHeader_SeveralValues_SentAsOneList()
    {
        var response = await _app.GetAsync("/several-values", null);

        ResponseAssert.Headers(response, ("Content-Length", "7"), ("Content-Type", "text/plain; charset=utf-8"), ("Cache-Control", "no-cache, no-store"), ("Vary", "Origin"));
    }

    [Fact]
    public async Task WithHeader_Created_KeepsStatusLocationAndBody()
    {
        var response = await _app.SendAsync(HttpMethod.Post, "/created", App);

        await ResponseAssert.BodyAsync(response, 201, """{"name":"pear"}""");
        ResponseAssert.Headers(
            response,
            ("Content-Type", "application/json; charset=utf-8"),
            ("Location", "/fruits/1"),
            ("X-Created-By", "test"),
            ("Access-Control-Allow-Origin", App),
            ("Access-Control-Expose-Headers", "X-Total-Count"),
            ("Vary", "Origin"));
    }

    [Theory]
    [InlineData("/union/1", 200, """{"name":"plum"}""", true)]
    [InlineData("/union/2", 404, "", false)]
    public async Task WithHeader_InsideResultsUnion_OnlyThatBranchHasTheHeader(string path, int status, string body, bool found)
    {
        var response = await _app.GetAsync(path, null);

        await ResponseAssert.BodyAsync(response, status, body);
        Assert.Equal(found, response.Headers.Contains("X-Found"));
    }

    [Theory]
    [InlineData("/content-type/text", "text/csv")]
    [InlineData("/content-type/json", "application/json; charset=utf-8")]
    public async Task WithHeader_ContentType_KeptUnlessTheResultSetsItsOwn(string path, string contentType)
    {
        var response = await _app.GetAsync(path, null);

        Assert.Equal(contentType, response.Content.Headers.NonValidated["Content-Type"].ToString());
    }

    [Fact]
    public async Task WithHeader_ResultThrows_HeaderNotOnTheErrorResponse()
    {
        var response = await _app.GetAsync("/failing", App);

        await ResponseAssert.BodyAsync(response, 500, """{"title":"An error occurred while processing your request.","status":500}""");
        ResponseAssert.Headers(response, ("Content-Type", "application/problem+json"), ("Access-Control-Allow-Origin", App), ("Access-Control-Expose-Headers", "X-Total-Count"), ("Vary", "Origin"));
    }

    [Theory]
    [InlineData("/typed", 200, typeof(Fruit))]
    [InlineData("/created", 201, typeof(Fruit))]
    public void WithHeader_TypedResult_OpenApiStillSeesItsResponseType(string path, int status, Type type)
    {
        var responses = ApiResponses(path);

        var response = Assert.Single(responses);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(type, response.Type);
        Assert.Equal(["application/json"], response.ApiResponseFormats.Select(f => f.MediaType).ToArray());
    }

    [Fact]
    public void WithHeader_InsideResultsUnion_OpenApiSeesBothBranches()
    {
        var responses = ApiResponses("/union/{id}");

        Assert.Equal([(200, typeof(Fruit)), (404, typeof(void))], responses.Select(r => (r.StatusCode, r.Type)).OrderBy(r => r.StatusCode).ToArray());
    }

    [Fact]
    public void WithHeader_ForwardsTheInnerResultsStatusValueAndContentType()
    {
        var result = TypedResults.Ok(new Fruit("fig")).WithHeader("X-A", "1");

        Assert.Equal(200, result.StatusCode);
        Assert.Equal(new Fruit("fig"), result.Value);
        Assert.Null(result.ContentType);
        Assert.Same(result.Result, ((INestedHttpResult)result).Result);
    }

    [Theory]
    [InlineData("X Bad", "v", "\"X Bad\" is not a header name: U+0020 at index 1; a header name is a token such as X-Request-Id (RFC 9110 section 5.1) (Parameter 'name')")]
    [InlineData("X-Injected", "a\r\nSet-Cookie: evil=1", "the value of header 'X-Injected' has a line break, a control or a non-ASCII character (U+000D at index 1), which Kestrel refuses to send; encode it (for example with Uri.EscapeDataString) (Parameter 'value')")]
    [InlineData("X-Name", "Zoë", "the value of header 'X-Name' has a line break, a control or a non-ASCII character (U+00EB at index 2), which Kestrel refuses to send; encode it (for example with Uri.EscapeDataString) (Parameter 'value')")]
    public void WithHeader_InvalidNameOrValue_ThrowsAtTheCall(string name, string value, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => Results.Ok().WithHeader(name, value));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void WithHeader_SeveralValuesOneBad_NamesWhichValue()
    {
        var error = Assert.Throws<ArgumentException>(() => Results.Ok().WithHeader("X-Multi", new StringValues(["ok", "bad\0"])));

        Assert.Equal("the value of header 'X-Multi' has a line break, a control or a non-ASCII character (U+0000 at index 3 in value 2 of 2), which Kestrel refuses to send; encode it (for example with Uri.EscapeDataString) (Parameter 'value')", error.Message);
    }

    private IList<ApiResponseType> ApiResponses(string route)
    {
        var provider = _app.App.Services.GetRequiredService<IApiDescriptionGroupCollectionProvider>();
        return provider.ApiDescriptionGroups.Items.SelectMany(g => g.Items).Single(d => "/" + d.RelativePath == route).SupportedResponseTypes;
    }

    private sealed class FailingResult : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) => throw new InvalidOperationException("the result failed");
    }
}

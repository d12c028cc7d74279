using System.Text.Json;
using CorsKit.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CorsKit.AspNetCore.Tests.Errors;

/// <summary>
/// Every way ASP.NET Core writes an error response, through a real pipeline: each carries the CORS headers of the URL the
/// browser asked for and the app's after-request header, with the body the error path writes.
/// </summary>
public sealed class ErrorResponseTests
{
    private const string App = "https://app.example.com";
    private const string Partner = "https://partner.example.com";

    private static readonly (string, string)[] Cors = [("Access-Control-Allow-Origin", App), ("Vary", "Origin")];
    private static readonly (string, string)[] PartnerCors = [("Access-Control-Allow-Origin", Partner), ("Access-Control-Allow-Credentials", "true"), ("Vary", "Origin")];
    private static readonly (string, string)[] AfterRequest = [("X-After", "app")];
    private static readonly (string, string)[] NoCache = [("Cache-Control", "no-cache,no-store"), ("Expires", "-1"), ("Pragma", "no-cache")];

    private static Task<TestApp> StartAsync(Action<WebApplication> pipeline, Action<WebApplicationBuilder>? configure = null, string environment = "Production") =>
        TestApp.StartAsync(
            o =>
            {
                o.AddDefaultPolicy(p => p.WithOrigins(App).WithMethods("PUT"));
                o.AddPolicy("partner", p => p.WithOrigins(Partner).AllowCredentials());
            },
            app =>
            {
                app.AfterRequest(c => c.Response.Headers["X-After"] = "app");
                pipeline(app);
                app.MapGet("/throw", string () => throw new InvalidOperationException("boom"));
                app.MapGet("/partner/throw", string () => throw new InvalidOperationException("boom")).WithCors("partner");
                app.MapGet("/partner/missing", () => Results.NotFound()).WithCors("partner");
                app.MapGet("/items", () => "items");
                app.MapGet("/private", () => "secret").RequireAuthorization();
                app.MapGet("/admin", () => "admin").RequireAuthorization(p => p.RequireRole("admin"));
            },
            builder =>
            {
                builder.Services.AddAuthentication(TestAuthenticationHandler.SchemeName).AddScheme<AuthenticationSchemeOptions, TestAuthenticationHandler>(TestAuthenticationHandler.SchemeName, null);
                builder.Services.AddAuthorization();
                configure?.Invoke(builder);
            },
            environment);

    private static (string, string)[] With(params (string, string)[][] groups) => [.. groups.SelectMany(g => g)];

    [Fact]
    public async Task UnhandledException_NoHandler_Production_GenericProblemWithCorsAndHookHeaders()
    {
        await using var app = await StartAsync(_ => { });

        var response = await app.GetAsync("/throw", App);

        await ResponseAssert.BodyAsync(response, 500, """{"title":"An error occurred while processing your request.","status":500}""");
        ResponseAssert.Headers(response, With(Cors, AfterRequest, [("Content-Type", "application/problem+json")]));
        Assert.Single(app.Logs.ForEvent(6));
    }

    [Fact]
    public async Task UnhandledException_NoHandler_AppProblemDetailsCustomisation_UsedForCorsKits500()
    {
        await using var app = await StartAsync(_ => { }, b => b.Services.AddProblemDetails(o => o.CustomizeProblemDetails = c => c.ProblemDetails.Extensions["service"] = "orders"));

        var response = await app.GetAsync("/throw", App);

        Assert.Equal(500, (int)response.StatusCode);
        var problem = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(
            ["type", "title", "status", "traceId", "service"],
            problem.EnumerateObject().Select(p => p.Name));
        Assert.Equal("https://tools.ietf.org/html/rfc9110#section-15.6.1", problem.GetProperty("type").GetString());
        Assert.Equal("An error occurred while processing your request.", problem.GetProperty("title").GetString());
        Assert.Equal("orders", problem.GetProperty("service").GetString());
        Assert.StartsWith("00-", problem.GetProperty("traceId").GetString(), StringComparison.Ordinal);
        ResponseAssert.Headers(response, With(Cors, AfterRequest, [("Content-Type", "application/problem+json")]));
        Assert.Single(app.Logs.ForEvent(6));
    }

    [Fact]
    public async Task UnhandledException_NoHandler_Development_DeveloperPageWithCorsAndHookHeaders()
    {
        await using var app = await StartAsync(_ => { }, environment: "Development");

        var response = await app.GetAsync("/throw", App);

        Assert.Equal(500, (int)response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("System.InvalidOperationException: boom\n", body.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        ResponseAssert.Headers(response, With(Cors, AfterRequest, [("Content-Type", "text/plain; charset=utf-8")]));
    }

    [Fact]
    public async Task UnhandledException_DeveloperPage_HtmlForABrowser()
    {
        await using var app = await StartAsync(_ => { }, environment: "Development");

        var response = await app.GetAsync("/throw", App, ("Accept", "text/html"));

        Assert.Equal(500, (int)response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("<!DOCTYPE html>", body, StringComparison.Ordinal);
        Assert.Contains("InvalidOperationException: boom", body, StringComparison.Ordinal);
        ResponseAssert.Headers(response, With(Cors, AfterRequest, [("Content-Type", "text/html; charset=utf-8")]));
    }

    [Fact]
    public async Task UnhandledException_CredentialedPolicyNoHandler_ThatPolicysHeaders()
    {
        await using var app = await StartAsync(_ => { });

        var response = await app.GetAsync("/partner/throw", Partner);

        Assert.Equal(500, (int)response.StatusCode);
        ResponseAssert.Headers(response, With(PartnerCors, AfterRequest, [("Content-Type", "application/problem+json")]));
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Development")]
    public async Task UseExceptionHandler_Path_ErrorPageWithCorsAndHookHeaders(string environment)
    {
        await using var app = await StartAsync(
            a =>
            {
                a.UseExceptionHandler("/error");
                a.Map("/error", () => "Sorry, something went wrong.").WithoutCors();
            },
            environment: environment);

        var response = await app.GetAsync("/throw", App);

        await ResponseAssert.BodyAsync(response, 500, "Sorry, something went wrong.");
        ResponseAssert.Headers(response, With(Cors, AfterRequest, NoCache, [("Content-Type", "text/plain; charset=utf-8")]));
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Development")]
    public async Task UseExceptionHandler_Path_CredentialedEndpoint_HeadersOfTheEndpointNotOfTheErrorPage(string environment)
    {
        await using var app = await StartAsync(a =>
        {
            a.UseExceptionHandler("/error");
            a.Map("/error", () => "Sorry, something went wrong.");
        }, environment: environment);

        var response = await app.GetAsync("/partner/throw", Partner);

        await ResponseAssert.BodyAsync(response, 500, "Sorry, something went wrong.");
        ResponseAssert.Headers(response, With(PartnerCors, AfterRequest, NoCache, [("Content-Type", "text/plain; charset=utf-8")]));
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Development")]
    public async Task UseExceptionHandler_Lambda_HandlersBodyWithCorsAndHookHeaders(string environment)
    {
        await using var app = await StartAsync(a => a.UseExceptionHandler(error => error.Run(async context =>
        {
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync("handled by lambda");
        })), environment: environment);

        var response = await app.GetAsync("/throw", App);

        await ResponseAssert.BodyAsync(response, 500, "handled by lambda");
        ResponseAssert.Headers(response, With(Cors, AfterRequest, NoCache, [("Content-Type", "text/plain")]));
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Development")]
    public async Task UseStatusCodePages_NoEndpoint_StatusPageWithCorsAndHookHeaders(string environment)
    {
        await using var app = await StartAsync(a => a.UseStatusCodePages(), environment: environment);

        var response = await app.GetAsync("/missing", App);

        // ASP.NET Core pads the page with 500 spaces (an old Internet Explorer workaround).
        await ResponseAssert.BodyAsync(response, 404, "Status Code: 404; Not Found" + new string(' ', 500));
        ResponseAssert.Headers(response, With(Cors, AfterRequest, [("Content-Type", "text/plain")]));
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Development")]
    public async Task UseStatusCodePagesWithReExecute_CredentialedEndpoint_HeadersOfTheEndpoint(string environment)
    {
        await using var app = await StartAsync(a =>
        {
            a.UseStatusCodePagesWithReExecute("/status/{0}");
            a.MapGet("/status/{code}", (int code) => $"status page {code}");
        }, environment: environment);

        var response = await app.GetAsync("/partner/missing", Partner);

        await ResponseAssert.BodyAsync(response, 404, "status page 404");
        ResponseAssert.Headers(response, With(PartnerCors, AfterRequest, [("Content-Type", "text/plain; charset=utf-8")]));
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Development")]
    public async Task ProblemDetails_ExceptionHandler_ProblemJsonWithCorsAndHookHeaders(string environment)
    {
        await using var app = await StartAsync(a => a.UseExceptionHandler(), b => b.Services.AddProblemDetails(), environment: environment);

        var response = await app.GetAsync("/throw", App);

        await ProblemAssert.BodyAsync(response, 500, "https://tools.ietf.org/html/rfc9110#section-15.6.1", "An error occurred while processing your request.");
        ResponseAssert.Headers(response, With(Cors, AfterRequest, NoCache, [("Content-Type", "application/problem+json")]));
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Development")]
    public async Task ProblemDetails_StatusCodePages_NotFoundProblemWithCorsAndHookHeaders(string environment)
    {
        await using var app = await StartAsync(a => a.UseStatusCodePages(), b => b.Services.AddProblemDetails(), environment: environment);

        var response = await app.GetAsync("/missing", App);

        await ProblemAssert.BodyAsync(response, 404, "https://tools.ietf.org/html/rfc9110#section-15.5.5", "Not Found");
        ResponseAssert.Headers(response, With(Cors, AfterRequest, [("Content-Type", "application/problem+json")]));
    }

    [Fact]
    public async Task ProblemDetails_NoExceptionHandler_Development_DeveloperProblemWithExceptionDetails()
    {
        await using var app = await StartAsync(_ => { }, b => b.Services.AddProblemDetails(), environment: "Development");

        var response = await app.GetAsync("/throw", App);

        Assert.Equal(500, (int)response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("System.InvalidOperationException", problem.RootElement.GetProperty("title").GetString());
        Assert.Equal("boom", problem.RootElement.GetProperty("detail").GetString());
        Assert.StartsWith("System.InvalidOperationException: boom", problem.RootElement.GetProperty("exception").GetProperty("details").GetString(), StringComparison.Ordinal);
        ResponseAssert.Headers(response, With(Cors, AfterRequest, [("Content-Type", "application/problem+json")]));
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Development")]
    public async Task NoEndpoint_404WithCorsAndHookHeaders(string environment)
    {
        await using var app = await StartAsync(_ => { }, environment: environment);

        var response = await app.GetAsync("/missing", App);

        await ResponseAssert.BodyAsync(response, 404, string.Empty);
        ResponseAssert.Headers(response, With(Cors, AfterRequest));
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Development")]
    public async Task MethodNotAllowed_405WithAllowCorsAndHookHeaders(string environment)
    {
        await using var app = await StartAsync(_ => { }, environment: environment);

        var response = await app.SendAsync(HttpMethod.Post, "/items", App);

        await ResponseAssert.BodyAsync(response, 405, string.Empty);
        ResponseAssert.Headers(response, With(Cors, AfterRequest, [("Allow", "GET")]));
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Development")]
    public async Task Authentication_Anonymous_401WithChallengeCorsAndHookHeaders(string environment)
    {
        await using var app = await StartAsync(_ => { }, environment: environment);

        var response = await app.GetAsync("/private", App);

        await ResponseAssert.BodyAsync(response, 401, string.Empty);
        ResponseAssert.Headers(response, With(Cors, AfterRequest, [("WWW-Authenticate", "Test")]));
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Development")]
    public async Task Authorization_WrongRole_403WithCorsAndHookHeaders(string environment)
    {
        await using var app = await StartAsync(_ => { }, environment: environment);

        var response = await app.GetAsync("/admin", App, ("X-User", "ada,reader"));

        await ResponseAssert.BodyAsync(response, 403, string.Empty);
        ResponseAssert.Headers(response, With(Cors, AfterRequest));
    }

    [Fact]
    public async Task Authorization_SignedIn_200()
    {
        await using var app = await StartAsync(_ => { });

        var response = await app.GetAsync("/admin", App, ("X-User", "ada,admin"));

        await ResponseAssert.BodyAsync(response, 200, "admin");
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Development")]
    public async Task Preflight_ProtectedEndpoint_AnsweredByCorsKitBeforeAuthentication(string environment)
    {
        await using var app = await StartAsync(_ => { }, environment: environment);

        var response = await app.PreflightAsync("/private", App, "GET");

        await ResponseAssert.BodyAsync(response, 204, string.Empty);
        ResponseAssert.Headers(response, With(Cors, AfterRequest, [("Access-Control-Allow-Methods", "PUT")]));
    }
}

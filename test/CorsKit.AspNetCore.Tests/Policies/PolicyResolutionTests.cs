using CorsKit.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Cors;
using Microsoft.AspNetCore.Mvc;

namespace CorsKit.AspNetCore.Tests.Policies;

public sealed class PolicyResolutionTests : IAsyncLifetime
{
    private const string Spa = "https://spa.example.com";
    private const string Partner = "https://partner.example.com";
    private const string Admin = "https://admin.example.com";
    private TestApp _app = null!;

    public async Task InitializeAsync()
    {
        _app = await TestApp.StartAsync(
            o =>
            {
                o.AddDefaultPolicy(p => p.WithOrigins(Spa));
                o.AddPolicy("partner", p => p.WithOrigins(Partner).WithMethods("PUT"));
                o.AddPolicy("admin", p => p.WithOrigins(Admin));
            },
            app =>
            {
                app.MapGet("/default", () => "d");
                app.MapGet("/named", () => "n").WithCors("partner");
                app.MapPut("/named", () => "n").WithCors("partner");
                app.MapGet("/inline", () => "i").WithCors(p => p.WithOrigins("https://inline.example.com"));
                app.MapGet("/off", () => "o").WithoutCors();
                var group = app.MapGroup("/group").WithCors("admin");
                group.MapGet("/a", () => "ga");
                group.MapGet("/b", () => "gb").WithCors("partner");   // endpoint beats group
                group.MapGet("/c", () => "gc").WithoutCors();
                app.MapGet("/ms-enable", () => "me").RequireCors("partner");
                app.MapGet("/ms-disable", [DisableCors] () => "md");
                app.MapGet("/ms-policy", () => "mp").RequireCors(p => p.WithOrigins("https://microsoft-style.example.com"));
                app.MapControllers();
            },
            builder => builder.Services.AddControllersOnly(typeof(AttributeController), typeof(MicrosoftAttributeController)));
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("/default", Spa, true)]
    [InlineData("/default", Partner, false)]
    [InlineData("/named", Partner, true)]
    [InlineData("/named", Spa, false)]
    [InlineData("/inline", "https://inline.example.com", true)]
    [InlineData("/inline", Spa, false)]
    [InlineData("/group/a", Admin, true)]
    [InlineData("/group/a", Spa, false)]
    [InlineData("/group/b", Partner, true)]
    [InlineData("/group/b", Admin, false)]
    [InlineData("/ms-enable", Partner, true)]
    [InlineData("/ms-policy", "https://microsoft-style.example.com", true)]
    [InlineData("/ms-policy", Spa, false)]
    [InlineData("/controller/default", Spa, true)]
    [InlineData("/controller/named", Partner, true)]
    [InlineData("/controller/named", Spa, false)]
    [InlineData("/ms-controller/enabled", Admin, true)]
    public async Task Resolve_ByMetadata_PolicyApplied(string path, string origin, bool allowed)
    {
        var response = await _app.GetAsync(path, origin);

        Assert.Equal(200, (int)response.StatusCode);
        if (allowed)
        {
            CorsAssert.Headers(response, ("Access-Control-Allow-Origin", origin), ("Vary", "Origin"));
        }
        else
        {
            CorsAssert.Headers(response, ("Vary", "Origin"));
        }
    }

    [Theory]
    [InlineData("/off")]
    [InlineData("/group/c")]
    [InlineData("/ms-disable")]
    [InlineData("/controller/off")]
    [InlineData("/ms-controller/disabled")]
    public async Task Resolve_Disabled_NoCorsHeadersAtAll(string path)
    {
        var response = await _app.GetAsync(path, Spa);

        Assert.Equal(200, (int)response.StatusCode);
        CorsAssert.Headers(response);
    }

    [Fact]
    public async Task Preflight_NamedEndpointPolicy_AnsweredFromThatPolicy()
    {
        var response = await _app.PreflightAsync("/named", Partner, "PUT");

        Assert.Equal(204, (int)response.StatusCode);
        CorsAssert.Headers(response, ("Access-Control-Allow-Origin", Partner), ("Access-Control-Allow-Methods", "PUT"), ("Vary", "Origin"));
    }

    [Fact]
    public async Task Preflight_ControllerAttributePolicy_AnsweredFromThatPolicy()
    {
        var response = await _app.PreflightAsync("/controller/named", Partner, "GET", "x-anything");

        Assert.Equal(204, (int)response.StatusCode);
        CorsAssert.Headers(response, ("Access-Control-Allow-Origin", Partner), ("Access-Control-Allow-Methods", "PUT"), ("Vary", "Origin"));
    }

    [Fact]
    public async Task Preflight_DisabledEndpoint_Answered204WithoutCorsHeaders()
    {
        var response = await _app.PreflightAsync("/off", Spa, "GET");

        Assert.Equal(204, (int)response.StatusCode);
        CorsAssert.Headers(response);
    }
}

[ApiController]
[Route("controller")]
public sealed class AttributeController : ControllerBase
{
    [HttpGet("default")]
    public string Default() => "cd";

    [HttpGet("named")]
    [WithCors("partner")]
    public string Named() => "cn";

    [HttpGet("off")]
    [WithoutCors]
    public string Off() => "co";
}

[ApiController]
[Route("ms-controller")]
[EnableCors("admin")]
public sealed class MicrosoftAttributeController : ControllerBase
{
    [HttpGet("enabled")]
    public string Enabled() => "me";

    [HttpGet("disabled")]
    [DisableCors]
    public string Disabled() => "md";
}

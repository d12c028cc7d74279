using CorsKit.AspNetCore.Tests.Infrastructure;
using CorsKit.Policies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Cors;

namespace CorsKit.AspNetCore.Tests.Migration;

/// <summary>UseCorsKit("name") and UseCorsKit(policy => ...), the twins of Microsoft's UseCors("name") and UseCors(policy => ...).</summary>
public sealed class UseCorsKitTests
{
    private const string Spa = "https://spa.example.com";
    private const string Partner = "https://partner.example.com";
    private const string Tools = "https://tools.example.com";

    private static readonly (string, string)[] Refused = [("Vary", "Origin")];

    private static void Policies(CorsKitOptions o)
    {
        o.AddDefaultPolicy(p => p.WithOrigins(Spa));
        o.AddPolicy("partner", p => p.WithOrigins(Partner));
    }

    private static Task<TestApp> StartAsync(Action<WebApplication> map, Action<CorsKitOptions>? cors = null) =>
        TestApp.StartAsync(cors ?? Policies, map, useCorsKit: false);

    private static void Endpoints(WebApplication app)
    {
        app.MapGet("/plain", () => "plain");
        app.MapGet("/enable", [EnableCors] () => "enable");
        app.MapGet("/named", () => "named").WithCors("partner");
    }

    [Theory]
    [InlineData("/plain", Partner)]
    [InlineData("/enable", Partner)]   // [EnableCors] without a name takes the default, as under UseCors("partner")
    [InlineData("/missing", Partner)]  // a 404 too: the default covers every path
    public async Task UseCorsKit_PolicyName_BecomesTheDefault(string path, string origin)
    {
        await using var app = await StartAsync(a =>
        {
            a.UseCorsKit("partner");
            Endpoints(a);
        });

        var allowed = await app.GetAsync(path, origin);
        var refused = await app.GetAsync(path, Spa);

        CorsAssert.Headers(allowed, ("Access-Control-Allow-Origin", origin), ("Vary", "Origin"));
        CorsAssert.Headers(refused, Refused);
    }

    [Fact]
    public async Task UseCorsKit_PolicyName_EndpointPolicyStillWins()
    {
        await using var app = await StartAsync(a =>
        {
            a.UseCorsKit("default");
            Endpoints(a);
        });

        var response = await app.GetAsync("/named", Partner);

        await ResponseAssert.BodyAsync(response, 200, "named");
        CorsAssert.Headers(response, ("Access-Control-Allow-Origin", Partner), ("Vary", "Origin"));
    }

    [Fact]
    public async Task UseCorsKit_InlinePolicy_BecomesTheDefaultAndRefusesOthers()
    {
        await using var app = await StartAsync(a =>
        {
            a.UseCorsKit(p => p.WithOrigins(Tools).WithMethods("PUT"));
            Endpoints(a);
        });

        var preflight = await app.PreflightAsync("/plain", Tools, "PUT");
        var refused = await app.GetAsync("/plain", Spa);

        Assert.Equal(204, (int)preflight.StatusCode);
        CorsAssert.Headers(preflight, ("Access-Control-Allow-Origin", Tools), ("Access-Control-Allow-Methods", "PUT"), ("Vary", "Origin"));
        CorsAssert.Headers(refused, Refused);
    }

    [Fact]
    public async Task UseCorsKit_AfterRoutingAndEndpoints_SameAnswer()
    {
        await using var app = await StartAsync(a =>
        {
            a.UseRouting();
            Endpoints(a);
            a.UseCorsKit("partner");
        });

        var response = await app.GetAsync("/plain", Partner);

        await ResponseAssert.BodyAsync(response, 200, "plain");
        CorsAssert.Headers(response, ("Access-Control-Allow-Origin", Partner), ("Vary", "Origin"));
    }

    [Fact]
    public async Task UseCorsKit_SameNameTwice_Harmless()
    {
        await using var app = await StartAsync(a =>
        {
            a.UseCorsKit("partner");
            a.UseCorsKit();
            a.UseCorsKit("partner");
            Endpoints(a);
        });

        var response = await app.GetAsync("/plain", Partner);

        CorsAssert.Headers(response, ("Access-Control-Allow-Origin", Partner), ("Vary", "Origin"));
    }

    [Fact]
    public async Task UseCorsKit_UnknownName_FailsAtTheCallNamingTheFix()
    {
        var error = await Assert.ThrowsAsync<CorsPolicyException>(() => StartAsync(a => a.UseCorsKit("spa")));

        Assert.Equal("UseCorsKit(\"spa\") names a policy that is not registered; add options.AddPolicy(\"spa\", ...) to AddCorsKit, or name one of: default, partner", error.Message);
    }

    [Fact]
    public async Task UseCorsKit_InvalidInlinePolicy_FailsAtStartup()
    {
        var error = await Assert.ThrowsAsync<CorsPolicyException>(() => StartAsync(a => a.UseCorsKit(p => p.AllowAnyOrigin().AllowCredentials())));

        Assert.Equal("CORS policy 'UseCorsKit(policy => ...)': '*' (any origin) together with credentials is refused by browsers and would expose credentialed responses to every site; list the trusted origins with WithOrigins(...), or drop AllowCredentials()", error.Message);
    }

    [Fact]
    public async Task UseCorsKit_TwoDifferentNames_FailsAtStartup()
    {
        var error = await Assert.ThrowsAsync<CorsPolicyException>(() => StartAsync(a =>
        {
            a.UseCorsKit("partner");
            a.UseCorsKit("default");
        }));

        Assert.Equal(
            "UseCorsKit(\"partner\") would make its policy the default of the whole application, but the application itself called UseCorsKit(\"default\"): " + OneDefault,
            error.Message);
    }

    [Fact]
    public async Task UseCorsKit_NameInAMapBranch_FailsAtStartup()
    {
        var error = await Assert.ThrowsAsync<CorsPolicyException>(() => StartAsync(a =>
        {
            a.UseCorsKit();
            a.Map("/legacy", branch => branch.UseCorsKit("partner"));
        }));

        Assert.Equal(
            "UseCorsKit(\"partner\") would make its policy the default of the whole application, but the application itself chose none: " + OneDefault,
            error.Message);
    }

    [Fact]
    public async Task UseCorsKit_OnlyInAMapBranch_FailsAtStartupAsNotSwitchedOn()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(a => a.Map("/legacy", branch => branch.UseCorsKit())));

        Assert.Equal("CorsKit is registered (AddCorsKit) but not switched on: call app.UseCorsKit(). CorsKit always runs outermost, so where the call stands does not matter.", error.Message);
    }

    private const string OneDefault =
        "CorsKit runs outermost, for every path, with one default policy; call UseCorsKit(...) with a policy once, on the application (not inside Map, MapWhen or UseWhen), "
        + "and give the paths that need another policy WithCors(\"name\") (or [EnableCors(\"name\")]) on their endpoints or route group";
}

using System.Text.Json;

namespace CorsKit.AspNetCore.Tests.Infrastructure;

/// <summary>Asserts an ASP.NET Core ProblemDetails body exactly, except its per-request trace id (checked for shape).</summary>
public static class ProblemAssert
{
    public static async Task BodyAsync(HttpResponseMessage response, int status, string type, string title)
    {
        Assert.Equal(status, (int)response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = problem.RootElement;
        Assert.Equal(["type", "title", "status", "traceId"], root.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(type, root.GetProperty("type").GetString());
        Assert.Equal(title, root.GetProperty("title").GetString());
        Assert.Equal(status, root.GetProperty("status").GetInt32());
        Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$", root.GetProperty("traceId").GetString());
    }
}

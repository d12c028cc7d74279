namespace CorsKit.Cli.Tests;

/// <summary>A method no browser can send is a usage mistake (exit 2, the fix named), never an exception or a made-up check.</summary>
public sealed class CheckMethodTests
{
    [Theory]
    [InlineData("GE T", "corskit: -X 'GE T' is not an HTTP method; a method is one token, such as GET, PUT or PATCH\n")]
    [InlineData("GET\u00e9", "corskit: -X 'GET\u00e9' is not an HTTP method; a method is one token, such as GET, PUT or PATCH\n")]
    [InlineData("TRACE", "corskit: -X TRACE is a forbidden method: fetch() throws a TypeError before sending anything, so no browser sends it\n")]
    [InlineData("connect", "corskit: -X connect is a forbidden method: fetch() throws a TypeError before sending anything, so no browser sends it\n")]
    public async Task Check_MethodNoBrowserSends_UsageErrorNamingIt(string method, string expected)
    {
        var (exit, output, error) = await Cli.RunAllAsync("check", "http://127.0.0.1:1/", "--origin", "https://app.example", "-X", method);

        Assert.Equal((2, string.Empty, expected), (exit, output, error));
    }
}

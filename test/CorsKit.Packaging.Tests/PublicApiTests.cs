namespace CorsKit.Packaging.Tests;

/// <summary>
/// scripts/update-public-api.sh and the build's API check, run on a one-class shipping project in a copy of the
/// repository's build files (the repository's own PublicAPI files are never touched).
/// </summary>
public sealed class PublicApiTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "corskit-api-" + Guid.NewGuid().ToString("N"));

    public PublicApiTests()
    {
        foreach (var file in new[] { "Directory.Build.props", "Directory.Packages.props", "global.json", ".editorconfig", "LICENSE", "README.md", "scripts/update-public-api.sh" })
        {
            var target = Path.Combine(_root, file);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(Path.Combine(Repository.Root, file), target);
        }

        Directory.CreateDirectory(Path.Combine(_root, "src", "Sample"));
        File.WriteAllText(Path.Combine(_root, "src", "Sample", "Sample.csproj"), """<Project Sdk="Microsoft.NET.Sdk" />""");
    }

    [Fact]
    public void UpdateScript_AfterAnApiChange_WritesTheUnshippedFileAndTheBuildPassesAgain()
    {
        // Arrange: a public API the files do not list yet.
        WriteGreeter("Greet");

        // Act
        Run("bash", "scripts/update-public-api.sh");

        // Assert: the Unshipped file lists the API, the Shipped one is left as it is, the build passes.
        Assert.Equal(["#nullable enable", "Sample.Greeter", "static Sample.Greeter.Greet(string! name) -> string!"], UnshippedLines());
        Assert.Equal("#nullable enable\n", File.ReadAllText(Path.Combine(_root, "src", "Sample", "PublicAPI.Shipped.txt")));
        Run("dotnet", "build", "src/Sample/Sample.csproj");

        // Act: an accidental change (a method renamed) fails the build, naming the new and the vanished symbol.
        WriteGreeter("Welcome");
        var build = Dotnet.Run("dotnet", _root, null, "build", "src/Sample/Sample.csproj");

        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains("error RS0016: Symbol 'static Sample.Greeter.Welcome(string! name) -> string!' is not part of the declared public API", build.Output, StringComparison.Ordinal);
        Assert.Contains("error RS0017: Symbol 'static Sample.Greeter.Greet(string! name) -> string!' is part of the declared API, but is either not public or could not be found", build.Output, StringComparison.Ordinal);

        // Act: the script brings the files up to date with the change made on purpose.
        Run("bash", "scripts/update-public-api.sh", "src/Sample/Sample.csproj");

        Assert.Equal(["#nullable enable", "Sample.Greeter", "static Sample.Greeter.Welcome(string! name) -> string!"], UnshippedLines());
        Run("dotnet", "build", "src/Sample/Sample.csproj");
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private void WriteGreeter(string method) => File.WriteAllText(Path.Combine(_root, "src", "Sample", "Greeter.cs"), $$"""
        namespace Sample;

        /// <summary>Greets.</summary>
        public static class Greeter
        {
            /// <summary>A greeting.</summary>
            /// <param name="name">Who.</param>
            public static string {{method}}(string name) => "hello " + name;
        }

        """);

    private string[] UnshippedLines() =>
        [.. File.ReadAllLines(Path.Combine(_root, "src", "Sample", "PublicAPI.Unshipped.txt")).Where(l => l.Length > 0).Order(StringComparer.Ordinal)];

    private void Run(string program, params string[] arguments)
    {
        var (exitCode, output) = Dotnet.Run(program, _root, null, arguments);
        Assert.True(exitCode == 0, $"{program} {string.Join(' ', arguments)} exited with {exitCode}:\n{output}");
    }
}

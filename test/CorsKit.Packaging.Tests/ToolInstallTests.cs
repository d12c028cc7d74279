namespace CorsKit.Packaging.Tests;

[Collection(nameof(Packages))]
public sealed class ToolInstallTests(Packages packages)
{
    [Fact]
    public void ToolInstall_FromThePackageFolderOnly_CorskitPrintsTheVersion()
    {
        // Arrange: a NuGet configuration whose only source is the package folder, and an empty package cache, so the
        // tool can only come from the package just packed (never nuget.org, nor a copy cached by an earlier run).
        var work = Path.Combine(Path.GetTempPath(), "corskit-tool-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            var config = Path.Combine(work, "nuget.config");
            File.WriteAllText(config, $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <clear />
                    <add key="corskit" value="{packages.Folder}" />
                  </packageSources>
                </configuration>
                """);
            var environment = new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(work, "cache") };
            var tools = Path.Combine(work, "tools");

            // Act
            var install = Dotnet.Run("dotnet", work, environment,
                "tool", "install", "--tool-path", tools, "--configfile", config, "CorsKit.Cli", "--version", Packages.Version);
            Assert.True(install.ExitCode == 0, install.Output);
            var version = Dotnet.Run(Path.Combine(tools, "corskit"), work, null, "--version");

            // Assert
            Assert.Equal((0, Packages.Version), (version.ExitCode, version.Output.Trim()));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}

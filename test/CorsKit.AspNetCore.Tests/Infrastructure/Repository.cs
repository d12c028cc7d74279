namespace CorsKit.AspNetCore.Tests.Infrastructure;

/// <summary>
/// The clone the tests run from, found by walking up from the test assembly to <c>CorsKit.slnx</c>. Not from
/// <c>[CallerFilePath]</c>: a CI build (ContinuousIntegrationBuild) maps source paths to <c>/_/</c>.
/// </summary>
public static class Repository
{
    /// <summary>The repository's root folder.</summary>
    public static string Root { get; } = Find();

    /// <summary>A path under the root, such as <c>Path("docs", "configuration.md")</c>.</summary>
    /// <param name="parts">The path's parts below the root.</param>
    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "CorsKit.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no CorsKit.slnx above {AppContext.BaseDirectory}: these tests run from a clone of the repository");
    }
}

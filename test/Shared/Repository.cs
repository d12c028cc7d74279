namespace CorsKit.Testing;

/// <summary>
/// The clone the tests run from, found by walking up from the test assembly to <c>CorsKit.slnx</c>. Not from
/// <c>[CallerFilePath]</c>: a CI build (ContinuousIntegrationBuild) maps source paths to <c>/_/</c>. Compiled into each test
/// project that reads the repository's files.
/// </summary>
internal static class Repository
{
    /// <summary>The repository's root folder, or <see langword="null"/> when the tests do not run from a clone.</summary>
    public static string? RootOrNull { get; } = Find();

    /// <summary>The repository's root folder.</summary>
    public static string Root => RootOrNull
        ?? throw new InvalidOperationException($"no CorsKit.slnx above {AppContext.BaseDirectory}: these tests run from a clone of the repository");

    /// <summary>A path under the root, such as <c>Path("docs", "configuration.md")</c>.</summary>
    /// <param name="parts">The path's parts below the root.</param>
    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    private static string? Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "CorsKit.slnx")))
            {
                return directory.FullName;
            }
        }

        return null;
    }
}

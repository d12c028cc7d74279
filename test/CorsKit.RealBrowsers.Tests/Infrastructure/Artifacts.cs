namespace CorsKit.RealBrowsers.Tests.Infrastructure;

/// <summary>Where tests leave files for people to look at: <c>artifacts/browser-tests/</c> at the repository root.</summary>
public static class Artifacts
{
    /// <summary>The full path for an artifact named <paramref name="name"/>; the folder is created.</summary>
    /// <param name="name">A file name, such as <c>playground-allowed.png</c>.</param>
    public static string PathFor(string name)
    {
        var directory = Path.Combine(Repository.RootOrNull ?? Path.Combine(Directory.GetCurrentDirectory(), "TestResults"), "artifacts", "browser-tests");
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, name);
    }
}

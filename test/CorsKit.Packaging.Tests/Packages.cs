using System.IO.Compression;
using System.Xml.Linq;

namespace CorsKit.Packaging.Tests;

/// <summary>The package tests share one packing (two packs of one project at once would race in its obj folder).</summary>
[CollectionDefinition(nameof(Packages))]
public sealed class PackedOnce : ICollectionFixture<Packages>;

/// <summary>
/// The four packages, packed once for the test run with <c>dotnet pack --no-build</c> from the projects the test
/// project references (so built already, in the tests' configuration), into a folder of its own.
/// </summary>
public sealed class Packages : IDisposable
{
    public static readonly string[] Projects = ["CorsKit", "CorsKit.AspNetCore", "CorsKit.Browser", "CorsKit.Cli", "CorsKit.Redis"];

    public Packages()
    {
        Directory.CreateDirectory(Folder);
        foreach (var project in Projects)
        {
            var (exitCode, output) = Dotnet.Run("dotnet", Repository.Root, null,
                "pack", Path.Combine("src", project, project + ".csproj"), "--no-build", "-c", Dotnet.Configuration, "-o", Folder);
            if (exitCode != 0)
            {
                throw new InvalidOperationException($"dotnet pack {project} failed ({exitCode}):\n{output}");
            }
        }
    }

    /// <summary>Where the packages are.</summary>
    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "corskit-packages-" + Guid.NewGuid().ToString("N"));

    /// <summary>The one version of every package, as Directory.Build.props sets it.</summary>
    public static string Version { get; } = XDocument.Load(Path.Combine(Repository.Root, "Directory.Build.props"))
        .Descendants("Version").Single().Value;

    /// <summary>The path of a package (<c>nupkg</c>) or of its symbols (<c>snupkg</c>).</summary>
    public string PathOf(string id, string extension = "nupkg") => Path.Combine(Folder, $"{id}.{Version}.{extension}");

    /// <summary>The nuspec's metadata element of a package.</summary>
    public static XElement MetadataOf(ZipArchive package, string id)
    {
        using var nuspec = package.GetEntry(id + ".nuspec")!.Open();
        var root = XDocument.Load(nuspec).Root!;
        return root.Element(root.Name.Namespace + "metadata")!;
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}

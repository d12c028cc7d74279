using System.IO.Compression;
using System.Reflection.Metadata;
using System.Xml.Linq;

namespace CorsKit.Packaging.Tests;

[Collection(nameof(Packages))]
public sealed class PackageContentTests(Packages packages)
{
    public static TheoryData<string, string> Licences => new()
    {
        // CorsKit embeds the Public Suffix List (MPL-2.0); the tool carries CorsKit.dll, and with it the list.
        { "CorsKit", "MIT AND MPL-2.0" },
        { "CorsKit.AspNetCore", "MIT" },
        { "CorsKit.Browser", "MIT" },
        { "CorsKit.Cli", "MIT AND MPL-2.0" },
        { "CorsKit.Redis", "MIT" },
    };

    [Theory]
    [MemberData(nameof(Licences))]
    public void Package_Nuspec_CarriesTheMetadataOfDirectoryBuildProps(string id, string licence)
    {
        using var package = ZipFile.OpenRead(packages.PathOf(id));

        var metadata = Packages.MetadataOf(package, id);
        string Value(string name) => metadata.Element(metadata.Name.Namespace + name)?.Value ?? $"(no <{name}>)";

        Assert.Equal(id, Value("id"));
        Assert.Equal(Packages.Version, Value("version"));
        Assert.Equal("CorsKit contributors", Value("authors"));
        Assert.Equal(licence, Value("license"));
        Assert.Equal("expression", metadata.Element(metadata.Name.Namespace + "license")!.Attribute("type")!.Value);
        Assert.Equal("README.md", Value("readme"));
        Assert.Equal("cors aspnetcore fetch preflight security middleware", Value("tags"));
        Assert.StartsWith(Packages.Version + ": ", Value("releaseNotes"), StringComparison.Ordinal);
        var project = XDocument.Load(Path.Combine(Repository.Root, "src", id, id + ".csproj"));
        Assert.Equal(project.Descendants("Description").Single().Value, Value("description"));
    }

    [Theory]
    [MemberData(nameof(Licences))]
    public void Package_Files_AreTheRepositoryLicenceAndReadme(string id, string licence)
    {
        using var package = ZipFile.OpenRead(packages.PathOf(id));

        Assert.Equal(File.ReadAllText(Path.Combine(Repository.Root, "LICENSE")), Read(package, "LICENSE"));
        Assert.Equal(File.ReadAllText(Path.Combine(Repository.Root, "README.md")), Read(package, "README.md"));
        var mpl = File.ReadAllText(Path.Combine(Repository.Root, "src/CorsKit/Origins/PublicSuffixList/LICENSE-MPL-2.0.txt"));
        if (licence.Contains("MPL-2.0", StringComparison.Ordinal))
        {
            Assert.Equal(mpl, Read(package, "licenses/public-suffix-list/LICENSE-MPL-2.0.txt"));
        }
        else
        {
            Assert.Null(package.GetEntry("licenses/public-suffix-list/LICENSE-MPL-2.0.txt"));
        }
    }

    [Theory]
    [InlineData("CorsKit", "lib/net10.0/CorsKit.pdb", "Origins/Origin.cs")]
    [InlineData("CorsKit.AspNetCore", "lib/net10.0/CorsKit.AspNetCore.pdb", "CorsKitMiddleware.cs")]
    [InlineData("CorsKit.Browser", "lib/net10.0/CorsKit.Browser.pdb", "BrowserModel.cs")]
    [InlineData("CorsKit.Cli", "tools/net10.0/any/CorsKit.Cli.pdb", "Program.cs")]
    [InlineData("CorsKit.Redis", "lib/net10.0/CorsKit.Redis.pdb", "RedisOriginStore.cs")]
    public void SymbolPackage_Pdb_IsPortableWithEveryDocumentEmbedded(string id, string pdbPath, string sourceFile)
    {
        using var symbols = ZipFile.OpenRead(packages.PathOf(id, "snupkg"));
        using var pdb = new MemoryStream();
        using (var entry = symbols.GetEntry(pdbPath)?.Open() ?? throw new Xunit.Sdk.XunitException($"{pdbPath} is not in the symbols package"))
        {
            entry.CopyTo(pdb);
        }

        pdb.Position = 0;
        using var provider = MetadataReaderProvider.FromPortablePdbStream(pdb); // throws unless the PDB is portable
        var reader = provider.GetMetadataReader();

        var documents = reader.Documents.Select(handle => (Handle: handle, Name: reader.GetString(reader.GetDocument(handle).Name))).ToList();
        var embedded = reader.CustomDebugInformation
            .Select(reader.GetCustomDebugInformation)
            .Where(info => reader.GetGuid(info.Kind) == EmbeddedSourceKind)
            .Select(info => info.Parent)
            .ToHashSet();
        Assert.Contains(documents, d => d.Name.Replace('\\', '/').EndsWith("/" + sourceFile, StringComparison.Ordinal));
        var notEmbedded = documents.Where(d => d.Name.EndsWith(".cs", StringComparison.Ordinal) && !embedded.Contains(d.Handle)).Select(d => d.Name);
        Assert.Empty(notEmbedded);
    }

    [Fact]
    public void ToolPackage_Runtimeconfig_RollsForwardToNewerMajorRuntimes()
    {
        using var package = ZipFile.OpenRead(packages.PathOf("CorsKit.Cli"));

        var runtimeConfig = Read(package, "tools/net10.0/any/CorsKit.Cli.runtimeconfig.json");

        Assert.Contains("\"rollForward\": \"Major\"", runtimeConfig, StringComparison.Ordinal);
    }

    // The Kind GUID of a portable PDB's embedded source (Portable PDB format, "Embedded Source").
    private static readonly Guid EmbeddedSourceKind = new("0E8A571B-6926-466E-B4AD-8AB04611F5FE");

    private static string Read(ZipArchive package, string path)
    {
        using var entry = package.GetEntry(path)?.Open() ?? throw new Xunit.Sdk.XunitException($"{path} is not in the package");
        using var reader = new StreamReader(entry);
        return reader.ReadToEnd();
    }
}

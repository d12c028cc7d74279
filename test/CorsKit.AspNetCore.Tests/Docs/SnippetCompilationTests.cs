using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace CorsKit.AspNetCore.Tests.Docs;

/// <summary>
/// Every <c>```csharp</c> block of the README and the guides compiles, with Roslyn, against the built CorsKit assemblies and
/// ASP.NET Core, as a Program with a web project's implicit usings and nothing else of CorsKit's: a block needs its own
/// <c>using</c> lines. A block that uses <c>builder</c> or <c>app</c> without declaring them gets
/// <c>var builder = WebApplication.CreateBuilder(args);</c> and <c>var app = builder.Build();</c> in front, and every
/// block may use the stand-ins of <see cref="ReadersOwnTypes"/> (types a reader's app has, none of CorsKit's).
/// </summary>
public sealed class SnippetCompilationTests
{
    // Microsoft.NET.Sdk.Web's implicit usings, as a new web project has them.
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Net.Http.Json;
        global using System.Threading;
        global using System.Threading.Tasks;
        global using Microsoft.AspNetCore.Builder;
        global using Microsoft.AspNetCore.Hosting;
        global using Microsoft.AspNetCore.Http;
        global using Microsoft.AspNetCore.Routing;
        global using Microsoft.Extensions.Configuration;
        global using Microsoft.Extensions.DependencyInjection;
        global using Microsoft.Extensions.Hosting;
        global using Microsoft.Extensions.Logging;
        """;

    // The reader's own types the snippets mention: their data, their stores. Nothing here comes from CorsKit.
    private const string ReadersOwnTypes = """
        public sealed record Fruit(string Name);
        public sealed class TenantStore { public string? OriginOf(string tenant) => null; }
        public sealed class AuditLog { public Task RecordAsync(HttpContext context) => Task.CompletedTask; }
        """;

    private static readonly Lazy<MetadataReference[]> References = new(() =>
        [.. ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator).Select(path => MetadataReference.CreateFromFile(path))]);

    [Theory]
    [InlineData("README.md")]
    [InlineData("docs/migrating-from-microsoft-cors.md")]
    [InlineData("docs/migrating-from-flask.md")]
    public void Snippets_EveryCSharpBlock_Compiles(string document)
    {
        // Arrange
        var path = Path.Combine(Repository.Root, document);
        var snippets = Snippets(File.ReadAllLines(path)).ToArray();

        // Act
        var errors = snippets.SelectMany(snippet => Compile(document, snippet)).ToArray();

        // Assert
        Assert.NotEmpty(snippets);
        Assert.True(errors.Length == 0, string.Join("\n", errors));
    }

    private static IEnumerable<string> Compile(string document, (int FirstLine, string[] Lines) snippet)
    {
        var usings = snippet.Lines.TakeWhile(line => line.StartsWith("using ", StringComparison.Ordinal) || line.StartsWith("//", StringComparison.Ordinal) || line.Length == 0).Count();
        var body = string.Join("\n", snippet.Lines.Skip(usings));
        var source = new StringBuilder()
            .AppendLine(LineDirective(snippet.FirstLine, document))
            .AppendLine(string.Join("\n", snippet.Lines.Take(usings)))
            .AppendLine("#line hidden");
        if (!body.Contains("var builder =", StringComparison.Ordinal))
        {
            source.AppendLine("var builder = WebApplication.CreateBuilder(args);");
        }

        if (!body.Contains("var app =", StringComparison.Ordinal))
        {
            source.AppendLine("var app = builder.Build();");
        }

        source.AppendLine(LineDirective(snippet.FirstLine + usings, document)).AppendLine(body);

        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var compilation = CSharpCompilation.Create(
            "Snippet",
            [
                CSharpSyntaxTree.ParseText(source.ToString(), parse, path: document),
                CSharpSyntaxTree.ParseText(ImplicitUsings, parse, path: "ImplicitUsings.cs"),
                CSharpSyntaxTree.ParseText(ReadersOwnTypes, parse, path: "ReadersOwnTypes.cs"),
            ],
            References.Value,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));

        return compilation.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d => $"{d.Location.GetMappedLineSpan().Path}:{d.Location.GetMappedLineSpan().StartLinePosition.Line + 1}: {d.Id}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}");
    }

    private static string LineDirective(int line, string document) => $"#line {line} \"{document}\"";

    // Each ```csharp block: the 1-based line of its first code line, and its lines without the fence's indentation.
    private static IEnumerable<(int FirstLine, string[] Lines)> Snippets(string[] lines)
    {
        for (var i = 0; i < lines.Length; i++)
        {
            var fence = lines[i].TrimStart();
            if (fence != "```csharp" && fence != "```cs")
            {
                continue;
            }

            var indent = lines[i].Length - fence.Length;
            var end = Array.FindIndex(lines, i + 1, line => line.Trim() == "```");
            Assert.True(end > i, $"the csharp block at line {i + 1} is not closed");
            yield return (i + 2, [.. lines[(i + 1)..end].Select(line => line.Length >= indent ? line[indent..] : line.TrimStart())]);
            i = end;
        }
    }
}

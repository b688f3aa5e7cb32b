using System.Collections.Immutable;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NfmGen.Generator;

namespace NfmGen.Tests.Generator;

/// <summary>Compiles test sources offline, runs the NFM generator on them and collects what it produced.</summary>
internal static class GeneratorHarness
{
    public static readonly ImmutableArray<MetadataReference> References =
    [
        .. Net100.References.All,
        MetadataReference.CreateFromFile(typeof(TorchSharp.torch).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(INfmNetwork).Assembly.Location),
    ];

    /// <summary>C# 14, the .NET 10 SDK's default (Roslyn 4.14, which the tests compile with, still calls it preview).</summary>
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Preview);

    /// <summary>The implicit usings of an SDK-style project, which the zoo's sources rely on.</summary>
    public const string ImplicitUsings =
        "global using System; global using System.Collections.Generic; global using System.IO; global using System.Linq; "
        + "global using System.Net.Http; global using System.Threading; global using System.Threading.Tasks;";

    private static readonly CSharpCompilationOptions Options =
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable)
            // TorchSharp is built against an older System.Runtime; the SDK silences these unification notes the same way.
            .WithSpecificDiagnosticOptions([new("CS1701", ReportDiagnostic.Suppress), new("CS1702", ReportDiagnostic.Suppress)]);

    public static CSharpCompilation Compile(params string[] sources) =>
        CSharpCompilation.Create(
            "NfmGen.GeneratorInput",
            sources
                .Select((source, index) => CSharpSyntaxTree.ParseText(source, ParseOptions, path: $"Input{index}.cs"))
                .Append(CSharpSyntaxTree.ParseText(ImplicitUsings, ParseOptions, path: "ImplicitUsings.cs")),
            References,
            Options);

    public static GeneratorDriver CreateDriver() =>
        CSharpGeneratorDriver.Create(
            [new NfmNetworkGenerator().AsSourceGenerator()],
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    public static GeneratorRun Run(params string[] sources)
    {
        var input = Compile(sources);
        var driver = CreateDriver().RunGeneratorsAndUpdateCompilation(input, out var output, out var generatorDiagnostics);
        return new GeneratorRun(input, output, generatorDiagnostics, driver.GetRunResult());
    }

    /// <summary>The source files of the repository's model zoo, read from disk.</summary>
    public static string ModelSource(string relativePath) =>
        File.ReadAllText(Path.Combine(RepositoryPaths.Root, "models", relativePath));
}

internal sealed record GeneratorRun(
    Compilation Input, Compilation Output, ImmutableArray<Diagnostic> GeneratorDiagnostics, GeneratorDriverRunResult Result)
{
    public IReadOnlyList<GeneratedSourceResult> Sources => Result.Results.SelectMany(result => result.GeneratedSources).ToList();

    /// <summary>Errors and warnings of the compiled output, generated code included.</summary>
    public IReadOnlyList<Diagnostic> OutputProblems =>
        Output.GetDiagnostics().Where(diagnostic => diagnostic.Severity >= DiagnosticSeverity.Warning).ToList();
}

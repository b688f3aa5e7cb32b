using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NfmGen.Tests.Generator;

namespace NfmGen.Tests.Docs;

/// <summary>
/// The README's C# examples compile against the public front door: its network declarations with the generator, its
/// snippets together as one program, in an assembly that sees none of the runtime's internals.
/// </summary>
public sealed partial class ReadmeExamplesTests
{
    /// <summary>The line that marks a block as an excerpt, not a program (the generated code it shows).</summary>
    private const string ExcerptMarker = "<!-- excerpt -->";

    [Fact]
    public void The_readme_examples_compile_against_the_public_api()
    {
        var blocks = Blocks(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md")));
        Assert.True(blocks.Count >= 4, $"found only {blocks.Count} C# blocks in README.md");

        // A block that declares types is a file of its own; the snippets run in order, as one program's statements.
        var declarations = blocks.Where(block => block.Contains("partial class", StringComparison.Ordinal)).ToList();
        var snippets = blocks.Except(declarations).ToList();
        Assert.NotEmpty(declarations);
        var lines = snippets.SelectMany(block => block.Split('\n')).ToList();
        var program = string.Join('\n', lines.Where(IsUsing).Distinct().Concat(lines.Where(line => !IsUsing(line))));

        var sources = declarations.Append(program).Append(GeneratorHarness.ImplicitUsings)
            .Select((source, index) => CSharpSyntaxTree.ParseText(source, GeneratorHarness.ParseOptions, path: $"Readme{index}.cs"));
        var input = CSharpCompilation.Create("ReadmeExamples", sources,
            [.. GeneratorHarness.References, MetadataReference.CreateFromFile(typeof(NfmGen.Models.PreActResNet18).Assembly.Location)],
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable)
                .WithSpecificDiagnosticOptions([new("CS1701", ReportDiagnostic.Suppress), new("CS1702", ReportDiagnostic.Suppress)]));
        GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(input, out var output, out var generatorDiagnostics);

        var problems = generatorDiagnostics.Concat(output.GetDiagnostics()).Where(diagnostic => diagnostic.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(problems.Count == 0, string.Join('\n', problems) + "\n\n" + program);
    }

    private static bool IsUsing(string line) => line.StartsWith("using ", StringComparison.Ordinal) && !line.StartsWith("using var ", StringComparison.Ordinal);

    private static List<string> Blocks(string markdown) =>
        [.. CSharpBlock().Matches(markdown).Where(match => !match.Groups["before"].Value.Contains(ExcerptMarker, StringComparison.Ordinal))
            .Select(match => match.Groups["code"].Value)];

    [GeneratedRegex(@"(?<before>[^\n]*)\n```csharp\n(?<code>.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}

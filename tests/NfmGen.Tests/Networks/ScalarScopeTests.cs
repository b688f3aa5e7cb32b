using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NfmGen.Network;
using NfmGen.Tests.Generator;
using TorchSharp;

namespace NfmGen.Tests.Networks;

/// <summary>
/// <see cref="ScalarScope"/>, and the rule it serves: no number reaches TorchSharp as a Scalar it makes on the fly (an
/// implicit conversion, an operator such as <c>tensor * 0.5</c> that converts inside TorchSharp, a member that passes
/// a constant of its own, as <c>add(Tensor)</c> its alpha 1, or a module whose forward does, as TorchSharp's batch
/// norms), since TorchSharp may let the garbage collector free such a
/// Scalar during the native call (<c>benchmarks scalars</c> shows it happen).
/// </summary>
public sealed class ScalarScopeTests
{
    // Each project's folder and assembly name (the name its InternalsVisibleTo grants are made out to).
    private static readonly (string Folder, string Assembly)[] Projects = [("runtime", "NfmGen.Runtime"), ("models", "NfmGen.Models"), ("cli", "nfm")];

    [Fact]
    public void Its_scalars_hold_their_values_and_types_until_it_ends()
    {
        using var x = torch.ones(3, dtype: torch.int64);
        using (var scalars = new ScalarScope())
        {
            using var scaled = x.mul(scalars.Of(2)).add(scalars.Of(3L));
            Assert.Equal(torch.int64, scaled.dtype); // integral scalars keep an integer tensor's type, as TorchSharp's own conversions do
            Assert.Equal([5L, 5, 5], scaled.data<long>().ToArray());
            using var half = torch.ones(2).mul(scalars.Of(0.5));
            Assert.Equal([0.5f, 0.5f], half.data<float>().ToArray());
        }
    }

    [Fact]
    public void No_number_reaches_torchsharp_as_a_scalar_made_on_the_fly()
    {
        // The framework, and the test's output folder: TorchSharp, the packages, and the other projects' assemblies.
        List<MetadataReference> References(string except) => [.. Net100.References.All,
            .. Directory.GetFiles(AppContext.BaseDirectory, "*.dll").Where(path => Path.GetFileNameWithoutExtension(path) != except && !Path.GetFileName(path).StartsWith("NfmGen.Tests", StringComparison.Ordinal))
                .Select(path => MetadataReference.CreateFromFile(path))];
        // The check itself: with these references it finds each kind in a snippet (unresolved types would find nothing).
        var canary = CSharpSyntaxTree.ParseText(
            "using static TorchSharp.torch; static class Canary { static Tensor M(Tensor x) => nn.BatchNorm1d(2).call(x.mul_(0.5).add(x) * 2); }", GeneratorHarness.ParseOptions, path: "Canary.cs");
        var canaryCompilation = CSharpCompilation.Create("canary", [canary], References(""), new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        Assert.Equal(4, ScalarsMadeOnTheFly(canaryCompilation.GetSemanticModel(canary), canary).Count());

        var found = new List<string>();
        foreach (var (project, assembly) in Projects)
        {
            var folder = Path.Combine(RepositoryPaths.Root, project);
            var trees = Directory.GetFiles(folder, "*.cs", SearchOption.AllDirectories)
                .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                    && !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                .Select(path => CSharpSyntaxTree.ParseText(File.ReadAllText(path), GeneratorHarness.ParseOptions, path: Path.GetRelativePath(RepositoryPaths.Root, path)))
                .Append(CSharpSyntaxTree.ParseText(GeneratorHarness.ImplicitUsings, GeneratorHarness.ParseOptions))
                .ToList();
            var compilation = CSharpCompilation.Create(assembly, trees, References(assembly), new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true));
            // Every type must resolve, or expressions of it would go unchecked (the zoo's generated members may be missing: not types).
            var unresolved = compilation.GetDiagnostics().Where(diagnostic => diagnostic.Id is "CS0246" or "CS0234").ToList();
            Assert.True(unresolved.Count == 0, string.Join('\n', unresolved.Take(10)));
            found.AddRange(trees.SelectMany(tree => ScalarsMadeOnTheFly(compilation.GetSemanticModel(tree), tree)));
        }
        Assert.True(found.Count == 0, $"{found.Count} number(s) given to TorchSharp as a Scalar it makes on the fly; hold them in a ScalarScope:\n{string.Join('\n', found)}");
    }

    // TorchSharp's members that make a Scalar of a number themselves (add(Tensor) passes alpha 1), from its source.
    private static readonly Lazy<HashSet<string>> Makers = new(() =>
        [.. File.ReadAllLines(Path.Combine(RepositoryPaths.Root, "tests", "NfmGen.Tests", "Networks", "TorchSharpScalarMakers.txt")).Where(line => !line.StartsWith('#'))]);

    // A module whose forward (its own, or the nearest base's) makes scalars on the fly: TorchSharp's batch norms count batches so.
    private static bool MakesScalarsInForward(ITypeSymbol? type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            var forwards = current.GetMembers("forward").OfType<IMethodSymbol>().ToList();
            if (forwards.Count > 0)
                return forwards.Any(forward => Makers.Value.Contains(forward.OriginalDefinition.GetDocumentationCommentId() ?? ""));
        }
        return false;
    }

    private static IEnumerable<string> ScalarsMadeOnTheFly(SemanticModel model, SyntaxTree tree)
    {
        foreach (var expression in tree.GetRoot().DescendantNodes().OfType<ExpressionSyntax>())
        {
            var conversion = model.GetConversion(expression);
            var converted = model.GetTypeInfo(expression);
            var implicitScalar = conversion is { IsImplicit: true, IsIdentity: false, IsUserDefined: true }
                && converted.ConvertedType?.ToDisplayString() == "TorchSharp.Scalar" && converted.Type?.ToDisplayString() != "TorchSharp.Scalar";
            var numericOperator = expression is BinaryExpressionSyntax or AssignmentExpressionSyntax
                && model.GetSymbolInfo(expression).Symbol is IMethodSymbol { MethodKind: MethodKind.UserDefinedOperator } op
                && op.ContainingType.ToDisplayString() == "TorchSharp.torch.Tensor"
                && op.Parameters.Any(parameter => parameter.Type.SpecialType is >= SpecialType.System_SByte and <= SpecialType.System_Double);
            var maker = expression is InvocationExpressionSyntax or BinaryExpressionSyntax or AssignmentExpressionSyntax or BaseObjectCreationExpressionSyntax
                && model.GetSymbolInfo(expression).Symbol?.OriginalDefinition.GetDocumentationCommentId() is { } id && Makers.Value.Contains(id);
            var module = expression is InvocationExpressionSyntax or BaseObjectCreationExpressionSyntax && MakesScalarsInForward(model.GetTypeInfo(expression).Type);
            if (implicitScalar || numericOperator || maker || module)
                yield return $"{tree.FilePath}:{tree.GetLineSpan(expression.Span).StartLinePosition.Line + 1}: {expression}";
        }
    }
}

using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

// Lists TorchSharp's public members that make a Scalar of a number themselves (an implicit conversion in their body, as
// add(Tensor) => add(target, 1)), directly or through another TorchSharp member that does: such a Scalar is freed only by
// its finalizer, which may run during the native call. tests/NfmGen.Tests/Networks/ScalarScopeTests.cs refuses calls to them.
// Usage: dotnet run --project tools/TorchSharpScalarMakers -- TORCHSHARP/src/TorchSharp COMMIT > tests/NfmGen.Tests/Networks/TorchSharpScalarMakers.txt
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: TorchSharpScalarMakers TORCHSHARP_SOURCE_FOLDER COMMIT");
    return 2;
}
var parse = new CSharpParseOptions(LanguageVersion.Preview, preprocessorSymbols: ["NET6_0_OR_GREATER", "NET8_0_OR_GREATER", "NETCOREAPP"]);
var trees = Directory.GetFiles(args[0], "*.cs", SearchOption.AllDirectories)
    .Order(StringComparer.Ordinal)
    .Select(path => CSharpSyntaxTree.ParseText(File.ReadAllText(path), parse, path: path))
    .ToList();
var compilation = CSharpCompilation.Create("TorchSharp", trees, Net100.References.All, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true));

var makers = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
var callees = new Dictionary<ISymbol, HashSet<ISymbol>>(SymbolEqualityComparer.Default);
foreach (var tree in trees)
{
    var model = compilation.GetSemanticModel(tree);
    foreach (var member in tree.GetRoot().DescendantNodes().Where(node => node is BaseMethodDeclarationSyntax or PropertyDeclarationSyntax or IndexerDeclarationSyntax))
    {
        if (model.GetDeclaredSymbol(member) is not { } symbol)
            continue;
        var called = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var expression in member.DescendantNodes().OfType<ExpressionSyntax>())
        {
            var conversion = model.GetConversion(expression);
            var type = model.GetTypeInfo(expression);
            if (conversion is { IsImplicit: true, IsUserDefined: true } && type.ConvertedType?.ToDisplayString() == "TorchSharp.Scalar"
                && type.Type?.SpecialType is >= SpecialType.System_Boolean and <= SpecialType.System_Double)
                makers.Add(symbol);
            if (model.GetSymbolInfo(expression).Symbol is IMethodSymbol or IPropertySymbol && model.GetSymbolInfo(expression).Symbol!.ContainingAssembly?.Name == "TorchSharp")
                called.Add(model.GetSymbolInfo(expression).Symbol!.OriginalDefinition);
        }
        callees[symbol] = called;
    }
}
// Callers of makers make scalars too: until nothing changes.
for (var grew = true; grew;)
{
    grew = false;
    foreach (var (member, called) in callees)
        grew |= !makers.Contains(member) && called.Any(makers.Contains) && makers.Add(member);
}

Console.WriteLine($"# TorchSharp's public members that make a Scalar of a number on the fly, directly or through another that does.");
Console.WriteLine($"# Written by tools/TorchSharpScalarMakers from dotnet/TorchSharp {args[1]} (src/TorchSharp); documentation ids.");
foreach (var id in makers.Where(symbol => symbol.DeclaredAccessibility == Accessibility.Public).Select(symbol => symbol.GetDocumentationCommentId()).OfType<string>().Order(StringComparer.Ordinal))
    Console.WriteLine(id);
return 0;

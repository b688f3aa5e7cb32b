using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace NfmGen.Generator.Parsing;

/// <summary>How the network's names are written in the generated file: escaped identifiers, namespaces, containing types, the file name.</summary>
internal static class TypeNames
{
    /// <summary><paramref name="name"/> as written in C#: with <c>@</c> where it is a keyword.</summary>
    public static string Escaped(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

    public static IEnumerable<INamedTypeSymbol> ContainingTypes(INamedTypeSymbol type)
    {
        for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
            yield return outer;
    }

    /// <summary>Declarations of the containing types, outermost first, e.g. <c>partial class Outer</c>.</summary>
    public static IEnumerable<string> ContainingTypeDeclarations(INamedTypeSymbol type) =>
        ContainingTypes(type).Reverse().Select(outer => $"partial {TypeKeyword(outer)} {Escaped(outer.Name)}");

    /// <summary>The namespace as written in C#, each segment escaped where it is a keyword (<c>@event.Lab</c>); null for the global one.</summary>
    public static string? NamespaceName(INamespaceSymbol ns) =>
        ns.IsGlobalNamespace ? null : string.Join(".", Namespaces(ns).Reverse().Select(segment => Escaped(segment.Name)));

    /// <summary>The file name, e.g. <c>Lab.Outer.Net.g.cs</c>: names unescaped, since <c>AddSource</c> refuses '@'.</summary>
    public static string HintName(INamedTypeSymbol type)
    {
        var names = Namespaces(type.ContainingNamespace).Reverse().Select(ns => ns.Name)
            .Concat(ContainingTypes(type).Reverse().Select(outer => outer.Name))
            .Append(type.Name);
        return string.Join(".", names) + ".g.cs";
    }

    private static string TypeKeyword(INamedTypeSymbol type) => type switch
    {
        { IsRecord: true, TypeKind: TypeKind.Struct } => "record struct",
        { IsRecord: true } => "record",
        { TypeKind: TypeKind.Struct } => "struct",
        { TypeKind: TypeKind.Interface } => "interface",
        _ => "class",
    };

    private static IEnumerable<INamespaceSymbol> Namespaces(INamespaceSymbol ns)
    {
        for (var current = ns; !current.IsGlobalNamespace; current = current.ContainingNamespace)
            yield return current;
    }
}

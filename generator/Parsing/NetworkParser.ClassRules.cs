using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace NfmGen.Generator.Parsing;

/// <summary>The rules on the network class itself, one method each; each reports its diagnostic on the class name.</summary>
internal sealed partial class NetworkParser
{
    /// <summary>
    /// <c>[NfmNetwork]</c> on several partial declarations is the compiler's error (CS0579); the class is generated
    /// once, for the first, so that two files of the same name are never added.
    /// </summary>
    private bool IsFirstAttributedDeclaration()
    {
        var first = type.GetAttributes()
            .FirstOrDefault(data => data.AttributeClass?.ToDisplayString() == KnownTypes.NetworkAttribute)
            ?.ApplicationSyntaxReference;
        return first is null || (first.SyntaxTree == declaration.SyntaxTree && declaration.Span.Contains(first.Span));
    }

    /// <summary>NFM001: the generated half is another partial declaration.</summary>
    private bool IsPartial()
    {
        if (declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            return true;
        Report(DiagnosticDescriptors.NotPartial, identifier, type.Name);
        return false;
    }

    /// <summary>NFM009: the generator does not write generic classes.</summary>
    private bool IsNotGeneric()
    {
        if (type.TypeParameters.Length == 0 && TypeNames.ContainingTypes(type).All(outer => outer.TypeParameters.Length == 0))
            return true;
        Report(DiagnosticDescriptors.GenericNetwork, identifier, type.Name);
        return false;
    }

    /// <summary>NFM011: the generated file repeats every containing type as a partial declaration; each one that is not partial is reported.</summary>
    private bool ContainingTypesArePartial()
    {
        var holds = true;
        foreach (var outer in TypeNames.ContainingTypes(type))
        {
            var notPartial = outer.DeclaringSyntaxReferences
                .Select(reference => reference.GetSyntax())
                .OfType<TypeDeclarationSyntax>()
                .FirstOrDefault(syntax => !syntax.Modifiers.Any(SyntaxKind.PartialKeyword));
            if (notPartial is null)
                continue;
            Report(DiagnosticDescriptors.ContainingTypeNotPartial, notPartial.Identifier.GetLocation(), outer.Name, type.Name);
            holds = false;
        }
        return holds;
    }

    /// <summary>NFM002: the generated members override and call <c>Module&lt;Tensor, Tensor&gt;</c>'s.</summary>
    private bool DerivesFromTensorModule()
    {
        if (KnownTypes.DerivesFrom(type, known.TensorModule))
            return true;
        Report(DiagnosticDescriptors.NotAModule, identifier, type.Name, type.BaseType?.ToDisplayString() ?? "object");
        return false;
    }

    /// <summary>NFM015: a derived network would hide the generated members of its base.</summary>
    private bool DoesNotDeriveFromANetwork()
    {
        for (var baseType = type.BaseType; baseType is not null; baseType = baseType.BaseType)
        {
            if (baseType.GetAttributes().Any(data => data.AttributeClass?.ToDisplayString() == KnownTypes.NetworkAttribute))
            {
                Report(DiagnosticDescriptors.DerivedNetwork, identifier, type.Name, baseType.Name);
                return false;
            }
        }
        return true;
    }

    /// <summary>NFM016: the generated half of a partial class lives in another file.</summary>
    private bool IsNotFileLocal()
    {
        if (!type.IsFileLocal)
            return true;
        Report(DiagnosticDescriptors.FileLocalNetwork, identifier, type.Name);
        return false;
    }
}

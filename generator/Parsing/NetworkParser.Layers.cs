using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NfmGen.Generator.Model;

namespace NfmGen.Generator.Parsing;

/// <summary>
/// The layers: the members marked <c>[Layer]</c> or <c>[Mixable]</c>, each checked by the rules for its kind of member,
/// in this order: what the member is (NFM003, NFM004), then how it holds its module (NFM018), then what a mix point
/// needs (NFM019, NFM020). A member gets at most one diagnostic.
/// </summary>
internal sealed partial class NetworkParser
{
    /// <summary>Shows nullable annotations: <c>Tensor?</c>.</summary>
    private static readonly SymbolDisplayFormat NullableFormat = SymbolDisplayFormat.MinimallyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    private sealed record ParsedLayer(LayerModel Model, ISymbol Symbol, SyntaxNode Declaration);

    /// <summary>The layers in declaration order, or null when any of them is invalid (each one reported).</summary>
    private List<ParsedLayer>? ParseLayers()
    {
        var layers = new List<ParsedLayer>();
        var allValid = true;
        foreach (var member in members)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (LayerAttributeOf(member) is not { } isMixable)
                continue;
            if (ParseLayer(member, isMixable) is { } layer)
                layers.Add(layer);
            else
                allValid = false;
        }
        return allValid ? layers : null;
    }

    /// <summary>Null when the member is not a layer; else whether it is mixable (<c>[Mixable]</c> wins over <c>[Layer]</c>).</summary>
    private bool? LayerAttributeOf(ISymbol member)
    {
        bool? isMixable = null;
        foreach (var data in member.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(data.AttributeClass, known.Mixable))
                return true;
            if (SymbolEqualityComparer.Default.Equals(data.AttributeClass, known.Layer))
                isMixable = false;
        }
        return isMixable;
    }

    private ParsedLayer? ParseLayer(ISymbol member, bool isMixable)
    {
        var location = member.Locations[0];
        if (member is IMethodSymbol method)
        {
            if (MethodLayerProblem(method) is { } methodProblem)
            {
                Report(DiagnosticDescriptors.InvalidLayerMethod, location, method.Name, methodProblem);     // NFM004
                return null;
            }
            return Layer(member, LayerModelKind.Method, isMixable, isOptional: false);
        }

        if (ModuleLayerProblem(member) is { } problem)
        {
            Report(DiagnosticDescriptors.InvalidLayerMember, location, member.Name, problem);             // NFM003
            return null;
        }
        if (member is IPropertySymbol property && !HasBackingField(property))
        {
            Report(DiagnosticDescriptors.LayerPropertyWithoutStorage, location, member.Name);             // NFM018
            return null;
        }
        var isOptional = NullableAnnotationOf(member) == NullableAnnotation.Annotated;
        if (isMixable && isOptional)
        {
            Report(DiagnosticDescriptors.NullableMixableLayer, location, member.Name);                    // NFM019
            return null;
        }
        if (isMixable && member.Name == GeneratedNames.InputMixPoint)
        {
            Report(DiagnosticDescriptors.MixableLayerNamedInput, location, member.Name);                  // NFM020
            return null;
        }
        return Layer(member, LayerModelKind.Module, isMixable, isOptional);
    }

    private static ParsedLayer Layer(ISymbol member, LayerModelKind kind, bool isMixable, bool isOptional)
    {
        var model = new LayerModel(TypeNames.Escaped(member.Name), member.Name, kind, isMixable, isOptional, member.IsStatic);
        var declaration = member.DeclaringSyntaxReferences[0].GetSyntax().FirstAncestorOrSelf<TypeDeclarationSyntax>()!;
        return new ParsedLayer(model, member, declaration);
    }

    /// <summary>NFM003: why a field or property cannot hold a layer's module, or null when it can.</summary>
    private string? ModuleLayerProblem(ISymbol member) => member switch
    {
        IFieldSymbol field => ModuleTypeProblem(field.IsStatic, field.Type),
        IPropertySymbol { IsIndexer: true } => "is an indexer",
        IPropertySymbol { GetMethod: null } => "has no getter",
        IPropertySymbol property => ModuleTypeProblem(property.IsStatic, property.Type),
        _ => "is neither a field, a property nor a method",
    };

    private string? ModuleTypeProblem(bool isStatic, ITypeSymbol memberType)
    {
        if (isStatic)
            return "is static";
        return KnownTypes.DerivesFrom(memberType, known.TensorModule)
            ? null
            : $"has type '{memberType.ToDisplayString()}', which is not a Module<Tensor, Tensor>";
    }

    /// <summary>NFM004: why a method is not <c>Tensor M(Tensor)</c>, or null when it is.</summary>
    private string? MethodLayerProblem(IMethodSymbol method)
    {
        if (method.MethodKind != MethodKind.Ordinary)
            return "is not an ordinary method";
        if (method.IsGenericMethod)
            return "is generic";
        if (method.Parameters.Length != 1)
            return $"takes {method.Parameters.Length} parameters";
        if (method.Parameters[0].RefKind != RefKind.None || !known.IsTensor(method.Parameters[0].Type))
            return $"takes '{method.Parameters[0].ToDisplayString()}'";
        if (method.ReturnsByRef || method.ReturnsByRefReadonly || !known.IsTensor(method.ReturnType))
            return $"returns '{method.ReturnType.ToDisplayString()}'";
        // The chain passes each result on as the next layer's non-nullable input.
        if (method.ReturnNullableAnnotation == NullableAnnotation.Annotated)
            return $"returns '{method.ReturnType.ToDisplayString(NullableFormat)}'";
        return null;
    }

    /// <summary>NFM005: a network needs at least one layer.</summary>
    private bool HasLayers(List<ParsedLayer> layers)
    {
        if (layers.Count > 0)
            return true;
        Report(DiagnosticDescriptors.NoLayers, identifier, type.Name);
        return false;
    }

    /// <summary>NFM008: members of different partial declarations have no defined order between them.</summary>
    private bool LayersShareOneDeclaration(List<ParsedLayer> layers)
    {
        var first = layers[0].Declaration;
        var stray = layers.FirstOrDefault(layer => layer.Declaration != first);
        if (stray is null)
            return true;
        Report(DiagnosticDescriptors.LayersInSeveralDeclarations, stray.Symbol.Locations[0], stray.Symbol.Name, type.Name);
        return false;
    }

    private static NullableAnnotation NullableAnnotationOf(ISymbol member) => member switch
    {
        IFieldSymbol field => field.NullableAnnotation,
        IPropertySymbol property => property.NullableAnnotation,
        _ => NullableAnnotation.None,
    };
}

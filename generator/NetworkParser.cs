using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NfmGen.Generator.Helpers;
using NfmGen.Generator.Model;

namespace NfmGen.Generator;

/// <summary>Turns an <c>[NfmNetwork]</c> class into a <see cref="NetworkModel"/>, or into the diagnostics that say why not.</summary>
internal static class NetworkParser
{
    /// <summary>The members the generator writes; a user member of the same name would clash.</summary>
    private static readonly string[] GeneratedMemberNames = { "ForwardTo", "ForwardFrom", "ForwardMixed", "NetworkInfo" };

    public static NetworkResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var type = (INamedTypeSymbol)context.TargetSymbol;
        var declaration = (ClassDeclarationSyntax)context.TargetNode;
        var diagnostics = new List<DiagnosticInfo>();
        try
        {
            var model = Parse(type, declaration, context, diagnostics, cancellationToken);
            return new NetworkResult(model, diagnostics.ToEquatableArray());
        }
        catch (System.Exception exception) when (exception is not System.OperationCanceledException)
        {
            // The generator must never take the build down: report what happened where it happened.
            diagnostics.Add(DiagnosticInfo.Create(
                DiagnosticDescriptors.InternalError, declaration.Identifier.GetLocation(), type.Name, exception.Message));
            return new NetworkResult(null, diagnostics.ToEquatableArray());
        }
    }

    private static NetworkModel? Parse(
        INamedTypeSymbol type,
        ClassDeclarationSyntax declaration,
        GeneratorAttributeSyntaxContext context,
        List<DiagnosticInfo> diagnostics,
        CancellationToken cancellationToken)
    {
        var identifier = declaration.Identifier.GetLocation();
        if (!declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotPartial, identifier, type.Name));
            return null;
        }
        if (!CheckContainingTypes(type, diagnostics))
            return null;

        var known = KnownTypes.From(context.SemanticModel.Compilation);
        if (!KnownTypes.DerivesFrom(type, known.TensorModule))
        {
            var baseName = type.BaseType?.ToDisplayString() ?? "object";
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotAModule, identifier, type.Name, baseName));
            return null;
        }

        var members = MembersInDeclarationOrder(type);
        var layers = ParseLayers(type, members, known, diagnostics, cancellationToken);
        if (layers is null)
            return null;

        var mixInput = ReadMixInput(context.Attributes[0]);
        if (!CheckMixPoints(type, identifier, layers, mixInput, diagnostics) | !CheckClashes(type, members, diagnostics))
            return null;

        var emitRegisterComponents = SymbolEqualityComparer.Default.Equals(type.BaseType, known.TensorModule)
            && !DeclaresMethod(members, "RegisterComponents");
        if (!ConstructorCallsRegisterComponents(type))
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ComponentsNotRegistered, identifier, type.Name));

        return new NetworkModel(
            HintName: HintName(type),
            Namespace: type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString(),
            ContainingTypes: ContainingTypeNames(type).ToEquatableArray(),
            ClassName: type.Name,
            MixInput: mixInput,
            Layers: layers.Select(layer => layer.Model).ToEquatableArray(),
            EmitForward: !DeclaresMethod(members, "forward"),
            EmitRegisterComponents: emitRegisterComponents,
            Components: emitRegisterComponents ? Components(members, known).ToEquatableArray() : EquatableArray<ComponentModel>.Empty);
    }

    private sealed record ParsedLayer(LayerModel Model, ISymbol Symbol, SyntaxNode Declaration);

    private static List<ParsedLayer>? ParseLayers(
        INamedTypeSymbol type,
        IReadOnlyList<ISymbol> members,
        KnownTypes known,
        List<DiagnosticInfo> diagnostics,
        CancellationToken cancellationToken)
    {
        var layers = new List<ParsedLayer>();
        var valid = true;
        foreach (var member in members)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var attribute = LayerAttributeOf(member, known);
            if (attribute is null)
                continue;

            var isMixable = SymbolEqualityComparer.Default.Equals(attribute, known.Mixable);
            var layer = ParseLayer(member, isMixable, known, diagnostics);
            if (layer is null)
            {
                valid = false;
                continue;
            }
            layers.Add(layer);
        }

        var identifier = type.Locations[0];
        if (valid && layers.Count == 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoLayers, identifier, type.Name));
            return null;
        }

        // Members of different partial declarations have no defined order between them.
        var firstDeclaration = layers.FirstOrDefault()?.Declaration;
        var stray = layers.FirstOrDefault(layer => layer.Declaration != firstDeclaration);
        if (stray is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(
                DiagnosticDescriptors.LayersInSeveralDeclarations, stray.Symbol.Locations[0], stray.Symbol.Name, type.Name));
            return null;
        }
        return valid ? layers : null;
    }

    private static ParsedLayer? ParseLayer(ISymbol member, bool isMixable, KnownTypes known, List<DiagnosticInfo> diagnostics)
    {
        var location = member.Locations[0];
        string? problem;
        LayerModelKind kind;
        var isNullable = false;
        switch (member)
        {
            case IFieldSymbol field:
                problem = ModuleMemberProblem(field.IsStatic, field.Type, known);
                isNullable = field.NullableAnnotation == NullableAnnotation.Annotated;
                kind = LayerModelKind.Module;
                break;
            case IPropertySymbol property:
                problem = property.IsIndexer ? "is an indexer"
                    : property.GetMethod is null ? "has no getter"
                    : ModuleMemberProblem(property.IsStatic, property.Type, known);
                isNullable = property.NullableAnnotation == NullableAnnotation.Annotated;
                kind = LayerModelKind.Module;
                break;
            case IMethodSymbol method:
                var methodProblem = MethodProblem(method, known);
                if (methodProblem is not null)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidLayerMethod, location, method.Name, methodProblem));
                    return null;
                }
                problem = null;
                kind = LayerModelKind.Method;
                break;
            default:
                problem = "is neither a field, a property nor a method";
                kind = LayerModelKind.Module;
                break;
        }
        if (problem is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidLayerMember, location, member.Name, problem));
            return null;
        }

        var declaration = member.DeclaringSyntaxReferences[0].GetSyntax().FirstAncestorOrSelf<TypeDeclarationSyntax>()!;
        var model = new LayerModel(EscapedName(member.Name), member.Name, kind, isMixable, isNullable);
        return new ParsedLayer(model, member, declaration);
    }

    private static string? ModuleMemberProblem(bool isStatic, ITypeSymbol type, KnownTypes known)
    {
        if (isStatic)
            return "is static";
        return KnownTypes.DerivesFrom(type, known.TensorModule)
            ? null
            : $"has type '{type.ToDisplayString()}', which is not a Module<Tensor, Tensor>";
    }

    private static string? MethodProblem(IMethodSymbol method, KnownTypes known)
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
        return null;
    }

    private static bool CheckMixPoints(
        INamedTypeSymbol type, Location identifier, List<ParsedLayer> layers, bool mixInput, List<DiagnosticInfo> diagnostics)
    {
        var last = layers[layers.Count - 1];
        if (last.Model.IsMixable)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MixableLastLayer, last.Symbol.Locations[0], last.Symbol.Name));
        if (mixInput || layers.Any(layer => layer.Model.IsMixable))
            return true;
        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoEligibleMixPoint, identifier, type.Name));
        return false;
    }

    private static bool CheckClashes(INamedTypeSymbol type, IReadOnlyList<ISymbol> members, List<DiagnosticInfo> diagnostics)
    {
        var clashes = members.Where(member => GeneratedMemberNames.Contains(member.Name)).ToList();
        foreach (var clash in clashes)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MemberClash, clash.Locations[0], clash.Name, type.Name));
        return clashes.Count == 0;
    }

    private static bool CheckContainingTypes(INamedTypeSymbol type, List<DiagnosticInfo> diagnostics)
    {
        if (type.TypeParameters.Length > 0 || ContainingTypes(type).Any(outer => outer.TypeParameters.Length > 0))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.GenericNetwork, type.Locations[0], type.Name));
            return false;
        }
        var valid = true;
        foreach (var outer in ContainingTypes(type))
        {
            var isPartial = outer.DeclaringSyntaxReferences
                .Select(reference => reference.GetSyntax())
                .OfType<TypeDeclarationSyntax>()
                .All(syntax => syntax.Modifiers.Any(SyntaxKind.PartialKeyword));
            if (isPartial)
                continue;
            diagnostics.Add(DiagnosticInfo.Create(
                DiagnosticDescriptors.ContainingTypeNotPartial, outer.Locations[0], outer.Name, type.Name));
            valid = false;
        }
        return valid;
    }

    /// <summary>The fields, properties and methods the user declared, in the order they appear in the source.</summary>
    private static IReadOnlyList<ISymbol> MembersInDeclarationOrder(INamedTypeSymbol type)
    {
        var trees = type.DeclaringSyntaxReferences.Select(reference => reference.SyntaxTree).Distinct().ToList();
        return type.GetMembers()
            .Where(member => !member.IsImplicitlyDeclared && member.Locations.Length > 0 && member.Locations[0].IsInSource)
            .OrderBy(member => trees.IndexOf(member.Locations[0].SourceTree!))
            .ThenBy(member => member.Locations[0].SourceSpan.Start)
            .ToList();
    }

    private static INamedTypeSymbol? LayerAttributeOf(ISymbol member, KnownTypes known)
    {
        foreach (var attribute in member.GetAttributes())
        {
            var attributeClass = attribute.AttributeClass;
            if (SymbolEqualityComparer.Default.Equals(attributeClass, known.Layer)
                || SymbolEqualityComparer.Default.Equals(attributeClass, known.Mixable))
            {
                return attributeClass;
            }
        }
        return null;
    }

    private static bool ReadMixInput(AttributeData attribute)
    {
        foreach (var argument in attribute.NamedArguments)
        {
            if (argument.Key == "MixInput" && argument.Value.Value is bool value)
                return value;
        }
        return true;
    }

    private static bool DeclaresMethod(IReadOnlyList<ISymbol> members, string name) =>
        members.Any(member => member is IMethodSymbol { MethodKind: MethodKind.Ordinary } && member.Name == name);

    private static bool ConstructorCallsRegisterComponents(INamedTypeSymbol type) =>
        type.InstanceConstructors
            .SelectMany(constructor => constructor.DeclaringSyntaxReferences)
            .Select(reference => reference.GetSyntax())
            .SelectMany(syntax => syntax.DescendantNodes().OfType<InvocationExpressionSyntax>())
            .Any(invocation => invocation.Expression switch
            {
                IdentifierNameSyntax name => name.Identifier.Text == "RegisterComponents",
                MemberAccessExpressionSyntax access => access.Name.Identifier.Text == "RegisterComponents",
                _ => false,
            });

    /// <summary>
    /// What TorchSharp's reflective <c>RegisterComponents()</c> would register: instance fields holding modules,
    /// parameters and tensors (buffers). Auto-properties are registered under the property's name.
    /// </summary>
    private static IEnumerable<ComponentModel> Components(IReadOnlyList<ISymbol> members, KnownTypes known)
    {
        foreach (var member in members)
        {
            if (member.IsStatic)
                continue;
            var (type, nullability) = member switch
            {
                IFieldSymbol { IsConst: false } field => (field.Type, field.NullableAnnotation),
                IPropertySymbol property when IsAutoProperty(property) => (property.Type, property.NullableAnnotation),
                _ => (null, NullableAnnotation.None),
            };
            ComponentKind? kind =
                KnownTypes.DerivesFrom(type, known.Module) ? ComponentKind.Module
                : KnownTypes.DerivesFrom(type, known.Parameter) ? ComponentKind.Parameter
                : KnownTypes.DerivesFrom(type, known.Tensor) ? ComponentKind.Buffer
                : null;
            if (kind is not null)
            {
                var isNullable = nullability == NullableAnnotation.Annotated;
                yield return new ComponentModel(EscapedName(member.Name), ComponentName(member, known), kind.Value, isNullable);
            }
        }
    }

    private static bool IsAutoProperty(IPropertySymbol property) =>
        property.DeclaringSyntaxReferences.Select(reference => reference.GetSyntax()).OfType<PropertyDeclarationSyntax>()
            .Any(syntax => syntax.ExpressionBody is null
                && syntax.AccessorList is not null
                && syntax.AccessorList.Accessors.All(accessor => accessor.Body is null && accessor.ExpressionBody is null));

    /// <summary>The state-dict name: TorchSharp's <c>[ComponentName(Name = ...)]</c> when present, else the member's name.</summary>
    private static string ComponentName(ISymbol member, KnownTypes known)
    {
        var attribute = member.GetAttributes()
            .FirstOrDefault(data => SymbolEqualityComparer.Default.Equals(data.AttributeClass, known.ComponentName));
        var named = attribute?.NamedArguments.FirstOrDefault(argument => argument.Key == "Name").Value.Value as string;
        var positional = attribute?.ConstructorArguments.FirstOrDefault().Value as string;
        return named ?? positional ?? member.Name;
    }

    private static IEnumerable<INamedTypeSymbol> ContainingTypes(INamedTypeSymbol type)
    {
        for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
            yield return outer;
    }

    /// <summary>Declarations of the containing types, outermost first, e.g. <c>partial class Outer</c>.</summary>
    private static IEnumerable<string> ContainingTypeNames(INamedTypeSymbol type) =>
        ContainingTypes(type).Reverse().Select(outer => $"partial {TypeKeyword(outer)} {EscapedName(outer.Name)}");

    private static string TypeKeyword(INamedTypeSymbol type) => type switch
    {
        { IsRecord: true, TypeKind: TypeKind.Struct } => "record struct",
        { IsRecord: true } => "record",
        { TypeKind: TypeKind.Struct } => "struct",
        { TypeKind: TypeKind.Interface } => "interface",
        _ => "class",
    };

    private static string HintName(INamedTypeSymbol type)
    {
        var name = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat).Replace("global::", "");
        return name.Replace('<', '_').Replace('>', '_') + ".g.cs";
    }

    private static string EscapedName(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;
}

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
    /// <summary>The members the generator always writes; a user member of the same name would clash.</summary>
    private static readonly string[] GeneratedMemberNames = { "ForwardTo", "ForwardFrom", "ForwardMixed", "NetworkInfo" };

    /// <summary>The field the generated <c>RegisterComponents()</c> keeps its state in.</summary>
    private const string RegisteredFlagName = "nfmComponentsRegistered";

    /// <summary>Shows nullable annotations: <c>Tensor?</c>.</summary>
    private static readonly SymbolDisplayFormat NullableFormat = SymbolDisplayFormat.MinimallyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

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
        if (!IsFirstAttributedDeclaration(type, declaration))
            return null;
        if (!declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotPartial, identifier, type.Name));
            return null;
        }
        if (!CheckContainingTypes(type, identifier, diagnostics))
            return null;

        var known = KnownTypes.From(context.SemanticModel.Compilation);
        if (!KnownTypes.DerivesFrom(type, known.TensorModule))
        {
            var baseName = type.BaseType?.ToDisplayString() ?? "object";
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotAModule, identifier, type.Name, baseName));
            return null;
        }

        if (BaseNetwork(type) is { } baseNetwork)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DerivedNetwork, identifier, type.Name, baseNetwork.Name));
            return null;
        }
        if (type.IsFileLocal)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.FileLocalNetwork, identifier, type.Name));
            return null;
        }

        var members = MembersInDeclarationOrder(type);
        var layers = ParseLayers(type, identifier, members, known, diagnostics, cancellationToken);
        if (layers is null)
            return null;

        var mixInput = ReadMixInput(context.Attributes[0]);
        var emitForward = !DeclaresMethod(members, "forward");
        var emitRegisterComponents = SymbolEqualityComparer.Default.Equals(type.BaseType, known.TensorModule)
            && !DeclaresMethod(members, "RegisterComponents");
        var components = emitRegisterComponents ? Components(members, known, diagnostics) : new List<ComponentModel>();
        var valid = CheckMixPoints(type, identifier, layers, mixInput, diagnostics);
        valid &= CheckClashes(type, members, emitForward, emitRegisterComponents, diagnostics);
        valid &= CheckTensorProperties(type, members, known, diagnostics);
        if (!valid || components is null)
            return null;

        if (!ConstructorCallsRegisterComponents(type))
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ComponentsNotRegistered, identifier, type.Name));

        return new NetworkModel(
            HintName: HintName(type),
            Namespace: NamespaceName(type.ContainingNamespace),
            ContainingTypes: ContainingTypeNames(type).ToEquatableArray(),
            ClassName: EscapedName(type.Name),
            DisplayName: type.Name,
            MixInput: mixInput,
            Layers: layers.Select(layer => layer.Model).ToEquatableArray(),
            EmitForward: emitForward,
            EmitRegisterComponents: emitRegisterComponents,
            Components: components.ToEquatableArray());
    }

    private sealed record ParsedLayer(LayerModel Model, ISymbol Symbol, SyntaxNode Declaration);

    private static List<ParsedLayer>? ParseLayers(
        INamedTypeSymbol type,
        Location identifier,
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

            var isMixable = attribute == LayerAttributeKind.Mixable;
            var layer = ParseLayer(member, isMixable, known, diagnostics);
            if (layer is null)
            {
                valid = false;
                continue;
            }
            layers.Add(layer);
        }

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
        var isStatic = false;
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
                isStatic = method.IsStatic;
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
        var model = new LayerModel(EscapedName(member.Name), member.Name, kind, isMixable, isNullable, isStatic);
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
        // The chain passes each result on as the next layer's non-nullable input.
        if (method.ReturnNullableAnnotation == NullableAnnotation.Annotated)
            return $"returns '{method.ReturnType.ToDisplayString(NullableFormat)}'";
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

    /// <summary>
    /// User members named like a generated one. <c>forward</c> and <c>RegisterComponents</c> clash only when they are
    /// not methods: a user method of that name replaces the generated one.
    /// </summary>
    private static bool CheckClashes(
        INamedTypeSymbol type,
        IReadOnlyList<ISymbol> members,
        bool emitForward,
        bool emitRegisterComponents,
        List<DiagnosticInfo> diagnostics)
    {
        var generated = new List<string>(GeneratedMemberNames);
        if (emitForward)
            generated.Add("forward");
        if (emitRegisterComponents)
            generated.AddRange(new[] { "RegisterComponents", RegisteredFlagName });
        var clashes = members.Where(member => generated.Contains(member.Name)).ToList();
        foreach (var clash in clashes)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MemberClash, clash.Locations[0], clash.Name, type.Name));
        return clashes.Count == 0;
    }

    /// <summary>
    /// Parameters and buffers must live in fields: TorchSharp's <c>to()</c>, <c>cpu()</c> and <c>load()</c> write the
    /// moved tensor back into every field and property that holds one, which a get-only property refuses and a
    /// non-public setter skips (keeping a disposed tensor). Modules are moved in place, so they may live in properties.
    /// </summary>
    private static bool CheckTensorProperties(
        INamedTypeSymbol type, IReadOnlyList<ISymbol> members, KnownTypes known, List<DiagnosticInfo> diagnostics)
    {
        var valid = true;
        foreach (var member in members)
        {
            if (member is IPropertySymbol { IsStatic: false } property
                && KnownTypes.DerivesFrom(property.Type, known.Tensor)
                && HasBackingField(type, property))
            {
                diagnostics.Add(DiagnosticInfo.Create(
                    DiagnosticDescriptors.TensorInProperty, property.Locations[0], property.Name, property.Type.Name));
                valid = false;
            }
        }
        return valid;
    }

    private static bool CheckContainingTypes(INamedTypeSymbol type, Location identifier, List<DiagnosticInfo> diagnostics)
    {
        if (type.TypeParameters.Length > 0 || ContainingTypes(type).Any(outer => outer.TypeParameters.Length > 0))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.GenericNetwork, identifier, type.Name));
            return false;
        }
        var valid = true;
        foreach (var outer in ContainingTypes(type))
        {
            var notPartial = outer.DeclaringSyntaxReferences
                .Select(reference => reference.GetSyntax())
                .OfType<TypeDeclarationSyntax>()
                .FirstOrDefault(syntax => !syntax.Modifiers.Any(SyntaxKind.PartialKeyword));
            if (notPartial is null)
                continue;
            diagnostics.Add(DiagnosticInfo.Create(
                DiagnosticDescriptors.ContainingTypeNotPartial, notPartial.Identifier.GetLocation(), outer.Name, type.Name));
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

    private enum LayerAttributeKind
    {
        Layer,
        Mixable,
    }

    /// <summary>Whether the member is a layer, and a mixable one; <c>[Mixable]</c> wins over <c>[Layer]</c> on the same member.</summary>
    private static LayerAttributeKind? LayerAttributeOf(ISymbol member, KnownTypes known)
    {
        LayerAttributeKind? kind = null;
        foreach (var attribute in member.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, known.Mixable))
                return LayerAttributeKind.Mixable;
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, known.Layer))
                kind = LayerAttributeKind.Layer;
        }
        return kind;
    }

    /// <summary>
    /// <c>[NfmNetwork]</c> on several partial declarations is the compiler's error (CS0579); the class is generated
    /// once, for the first, so that two files of the same name are never added.
    /// </summary>
    private static bool IsFirstAttributedDeclaration(INamedTypeSymbol type, ClassDeclarationSyntax declaration)
    {
        var first = type.GetAttributes()
            .FirstOrDefault(attribute => attribute.AttributeClass?.ToDisplayString() == KnownTypes.NetworkAttribute)
            ?.ApplicationSyntaxReference;
        return first is null || (first.SyntaxTree == declaration.SyntaxTree && declaration.Span.Contains(first.Span));
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
    /// parameters and tensors (buffers). Modules in auto-properties (or properties using <c>field</c>) are registered
    /// under the property's name. Reports state-dict names that TorchSharp would refuse at run time.
    /// </summary>
    private static List<ComponentModel>? Components(IReadOnlyList<ISymbol> members, KnownTypes known, List<DiagnosticInfo> diagnostics)
    {
        var components = new List<ComponentModel>();
        var valid = true;
        var owners = new Dictionary<string, string>();
        foreach (var member in members)
        {
            if (member.IsStatic)
                continue;
            var (type, nullability) = member switch
            {
                IFieldSymbol { IsConst: false } field => (field.Type, field.NullableAnnotation),
                IPropertySymbol property when HasBackingField(property.ContainingType, property) => (property.Type, property.NullableAnnotation),
                _ => (null, NullableAnnotation.None),
            };
            ComponentKind? kind =
                KnownTypes.DerivesFrom(type, known.Module) ? ComponentKind.Module
                : KnownTypes.DerivesFrom(type, known.Parameter) ? ComponentKind.Parameter
                : KnownTypes.DerivesFrom(type, known.Tensor) ? ComponentKind.Buffer
                : null;
            if (kind is null)
                continue;

            var (name, attribute) = ComponentName(member, known);
            var problem = name.Length == 0 ? "is empty"
                : name.IndexOf('.') >= 0 ? "contains '.'"
                : owners.TryGetValue(name, out var owner) ? $"is already the name of '{owner}'"
                : null;
            if (problem is not null)
            {
                var location = attribute?.ApplicationSyntaxReference?.GetSyntax().GetLocation() ?? member.Locations[0];
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidComponentName, location, name, member.Name, problem));
                valid = false;
                continue;
            }
            owners[name] = member.Name;
            var isNullable = nullability == NullableAnnotation.Annotated;
            components.Add(new ComponentModel(EscapedName(member.Name), SymbolDisplay.FormatLiteral(name, quote: true), kind.Value, isNullable));
        }
        return valid ? components : null;
    }

    /// <summary>Whether the compiler made a backing field for the property: an auto-property, or one using <c>field</c>.</summary>
    private static bool HasBackingField(INamedTypeSymbol type, IPropertySymbol property) =>
        type.GetMembers().OfType<IFieldSymbol>().Any(field => SymbolEqualityComparer.Default.Equals(field.AssociatedSymbol, property));

    /// <summary>
    /// The state-dict name: TorchSharp's <c>[ComponentName(Name = ...)]</c> when present, else the member's name.
    /// (The attribute has no constructor parameters, only the settable <c>Name</c>.)
    /// </summary>
    private static (string Name, AttributeData? Attribute) ComponentName(ISymbol member, KnownTypes known)
    {
        var attribute = member.GetAttributes()
            .FirstOrDefault(data => SymbolEqualityComparer.Default.Equals(data.AttributeClass, known.ComponentName));
        var named = attribute?.NamedArguments.FirstOrDefault(argument => argument.Key == "Name").Value.Value as string;
        return named is null ? (member.Name, null) : (named, attribute);
    }

    /// <summary>The first base class that is itself a network, whose generated members a derived network would hide.</summary>
    private static INamedTypeSymbol? BaseNetwork(INamedTypeSymbol type)
    {
        for (var baseType = type.BaseType; baseType is not null; baseType = baseType.BaseType)
        {
            if (baseType.GetAttributes().Any(attribute => attribute.AttributeClass?.ToDisplayString() == KnownTypes.NetworkAttribute))
                return baseType;
        }
        return null;
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

    /// <summary>The namespace as written in C#, each segment escaped where it is a keyword (<c>@event.Lab</c>).</summary>
    private static string? NamespaceName(INamespaceSymbol ns) =>
        ns.IsGlobalNamespace ? null : string.Join(".", Namespaces(ns).Reverse().Select(segment => EscapedName(segment.Name)));

    private static IEnumerable<INamespaceSymbol> Namespaces(INamespaceSymbol ns)
    {
        for (var current = ns; !current.IsGlobalNamespace; current = current.ContainingNamespace)
            yield return current;
    }

    /// <summary>The file name, e.g. <c>Lab.Outer.Net.g.cs</c>: names unescaped, since <c>AddSource</c> refuses '@'.</summary>
    private static string HintName(INamedTypeSymbol type)
    {
        var names = Namespaces(type.ContainingNamespace).Reverse().Select(ns => ns.Name)
            .Concat(ContainingTypes(type).Reverse().Select(outer => outer.Name))
            .Append(type.Name);
        return string.Join(".", names) + ".g.cs";
    }

    private static string EscapedName(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;
}

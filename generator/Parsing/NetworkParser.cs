using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NfmGen.Generator.Helpers;
using NfmGen.Generator.Model;

namespace NfmGen.Generator.Parsing;

/// <summary>
/// Turns an <c>[NfmNetwork]</c> class into a <see cref="NetworkModel"/>, or into the diagnostics that say why not.
/// <see cref="ParseNetwork"/> runs the rules in the order they are reported; each rule is one method, in
/// <c>NetworkParser.ClassRules.cs</c> (the class), <c>NetworkParser.Layers.cs</c> (each layer),
/// <c>NetworkParser.MemberRules.cs</c> (the members together) and <c>NetworkParser.Components.cs</c> (registration).
/// Names as written in C# come from <see cref="TypeNames"/>.
/// </summary>
internal sealed partial class NetworkParser
{
    private readonly INamedTypeSymbol type;
    private readonly ClassDeclarationSyntax declaration;
    private readonly AttributeData attribute;
    private readonly KnownTypes known;
    private readonly CancellationToken cancellationToken;
    private readonly List<DiagnosticInfo> diagnostics = new();

    /// <summary>
    /// Set when the class passed the rules on itself but an error stopped generation, and the user wrote no
    /// <c>forward</c>: a stand-in is emitted, so that the build reports the NFM errors and not also a missing override.
    /// </summary>
    private bool stoppedForward;

    /// <summary>The class name's location, where class-level diagnostics go.</summary>
    private readonly Location identifier;

    /// <summary>The fields, properties and methods the user declared, in the order they appear in the source.</summary>
    private readonly IReadOnlyList<ISymbol> members;

    private NetworkParser(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        type = (INamedTypeSymbol)context.TargetSymbol;
        declaration = (ClassDeclarationSyntax)context.TargetNode;
        attribute = context.Attributes[0];
        known = KnownTypes.From(context.SemanticModel.Compilation);
        this.cancellationToken = cancellationToken;
        identifier = declaration.Identifier.GetLocation();
        members = MembersInDeclarationOrder(type);
    }

    public static NetworkResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var parser = new NetworkParser(context, cancellationToken);
        try
        {
            var model = parser.ParseNetwork();
            var standIn = parser.stoppedForward ? parser.StandIn() : null;
            return new NetworkResult(model, standIn, parser.diagnostics.ToEquatableArray());
        }
        catch (System.Exception exception) when (exception is not System.OperationCanceledException)
        {
            // The generator must never take the build down: report what happened where it happened.
            parser.Report(DiagnosticDescriptors.InternalError, parser.identifier, parser.type.Name, exception.Message);
            return new NetworkResult(null, null, parser.diagnostics.ToEquatableArray());
        }
    }

    /// <summary>The rules, in the order their diagnostics are reported.</summary>
    private NetworkModel? ParseNetwork()
    {
        // [NfmNetwork] on several partial declarations is the compiler's error (CS0579): parse the first only.
        if (!IsFirstAttributedDeclaration())
            return null;

        // 1. The class. Each rule assumes the ones before it hold, so the first error stops parsing.
        if (!IsPartial()                           // NFM001
            || !IsNotGeneric()                     // NFM009
            || !ContainingTypesArePartial()        // NFM011
            || !DerivesFromTensorModule()          // NFM002
            || !DoesNotDeriveFromANetwork()        // NFM015
            || !IsNotFileLocal())                  // NFM016
            return null;

        // 2. The layers. Every bad layer is reported (NFM003, NFM004, NFM018, NFM019, NFM020); the rules on the list
        //    of layers need every layer valid, and stop at their first error.
        var layers = ParseLayers();
        var layersHold = layers is not null
            && HasLayers(layers)                   // NFM005
            && LayersShareOneDeclaration(layers);  // NFM008

        // 3. The members together. Every rule runs, even after a bad layer (arguments are evaluated in order), so
        //    that one build reports every problem; the rules that read the list of layers need it valid. Any error
        //    stops generation.
        var emitForward = !DeclaresMethod(GeneratedNames.Forward);
        var emitRegisterComponents = SymbolEqualityComparer.Default.Equals(type.BaseType, known.TensorModule)
            && !DeclaresMethod(GeneratedNames.RegisterComponents);
        var components = layersHold && emitRegisterComponents ? ParseComponents(layers!) : new List<ComponentModel>(); // NFM014
        if (!AllHold(
                layersHold,
                components is not null,
                layersHold && HasEligibleMixPoint(layers!),                       // NFM006
                HasNoClashingMembers(emitForward, emitRegisterComponents),        // NFM010
                HoldsTensorsInFields()))                                          // NFM013
        {
            stoppedForward = emitForward && !members.Any(member => member.Name == GeneratedNames.Forward);
            return null;
        }

        // 4. Warnings, on a network that will be generated.
        WarnIfLastLayerIsMixable(layers!);          // NFM007
        WarnIfComponentsAreNeverRegistered();      // NFM012
        WarnIfForwardIsHandWritten();              // NFM017

        return BuildModel(layers!, emitForward, emitRegisterComponents, components!);
    }

    private NetworkModel BuildModel(
        List<ParsedLayer> layers, bool emitForward, bool emitRegisterComponents, List<ComponentModel> components) =>
        new(
            HintName: TypeNames.HintName(type),
            Namespace: TypeNames.NamespaceName(type.ContainingNamespace),
            ContainingTypes: TypeNames.ContainingTypeDeclarations(type).ToEquatableArray(),
            ClassName: TypeNames.Escaped(type.Name),
            DisplayName: type.Name,
            MixInput: ReadMixInput(),
            Layers: layers.Select(layer => layer.Model).ToEquatableArray(),
            EmitForward: emitForward,
            EmitRegisterComponents: emitRegisterComponents,
            Components: components.ToEquatableArray());

    private StandInModel StandIn() =>
        new(
            HintName: TypeNames.HintName(type),
            Namespace: TypeNames.NamespaceName(type.ContainingNamespace),
            ContainingTypes: TypeNames.ContainingTypeDeclarations(type).ToEquatableArray(),
            ClassName: TypeNames.Escaped(type.Name),
            DisplayName: type.Name);

    private static bool AllHold(params bool[] rules) => rules.All(holds => holds);

    private void Report(DiagnosticDescriptor descriptor, Location? location, params string[] messageArgs) =>
        diagnostics.Add(DiagnosticInfo.Create(descriptor, location, messageArgs));

    private bool ReadMixInput()
    {
        foreach (var argument in attribute.NamedArguments)
        {
            if (argument.Key == "MixInput" && argument.Value.Value is bool value)
                return value;
        }
        return true;
    }

    private bool DeclaresMethod(string name) =>
        members.Any(member => member is IMethodSymbol { MethodKind: MethodKind.Ordinary } && member.Name == name);

    /// <summary>Whether the compiler made a backing field for the property: an auto-property, or one using <c>field</c>.</summary>
    private bool HasBackingField(IPropertySymbol property) =>
        type.GetMembers().OfType<IFieldSymbol>().Any(field => SymbolEqualityComparer.Default.Equals(field.AssociatedSymbol, property));

    private static IReadOnlyList<ISymbol> MembersInDeclarationOrder(INamedTypeSymbol type)
    {
        var trees = type.DeclaringSyntaxReferences.Select(reference => reference.SyntaxTree).Distinct().ToList();
        return type.GetMembers()
            .Where(member => !member.IsImplicitlyDeclared && member.Locations.Length > 0 && member.Locations[0].IsInSource)
            .OrderBy(member => trees.IndexOf(member.Locations[0].SourceTree!))
            .ThenBy(member => member.Locations[0].SourceSpan.Start)
            .ToList();
    }
}

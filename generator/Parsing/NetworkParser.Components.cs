using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NfmGen.Generator.Model;

namespace NfmGen.Generator.Parsing;

/// <summary>What the generated <c>RegisterComponents()</c> registers, and the rule on state-dict names (NFM014).</summary>
internal sealed partial class NetworkParser
{
    /// <summary>
    /// The instance fields holding modules, parameters and tensors (buffers), and the auto-properties (or properties
    /// using <c>field</c>) holding modules, registered under the member's name or its <c>[ComponentName]</c>: the
    /// fields TorchSharp's reflection registers, but an auto-property under its own name, not its backing field's
    /// (<c>&lt;Name&gt;k__BackingField</c>). Null when a state-dict name would be refused at run time (each one reported).
    /// </summary>
    private List<ComponentModel>? ParseComponents(List<ParsedLayer> layers)
    {
        var layerMembers = new HashSet<ISymbol>(layers.Select(layer => layer.Symbol), SymbolEqualityComparer.Default);
        var components = new List<ComponentModel>();
        var owners = new Dictionary<string, string>();
        var allValid = true;
        foreach (var member in members)
        {
            if (member.IsStatic || ComponentKindOf(member) is not { } kind)
                continue;

            var (name, nameAttribute) = ComponentName(member);
            if (ComponentNameProblem(name, owners) is { } problem)
            {
                var location = nameAttribute?.ApplicationSyntaxReference?.GetSyntax().GetLocation() ?? member.Locations[0];
                Report(DiagnosticDescriptors.InvalidComponentName, location, name, member.Name, problem);   // NFM014
                allValid = false;
                continue;
            }
            owners[name] = member.Name;
            components.Add(new ComponentModel(
                TypeNames.Escaped(member.Name),
                SymbolDisplay.FormatLiteral(member.Name, quote: true),
                SymbolDisplay.FormatLiteral(name, quote: true),
                kind,
                Registration(member, kind, layerMembers.Contains(member))));
        }
        return allValid ? components : null;
    }

    private ComponentKind? ComponentKindOf(ISymbol member)
    {
        var memberType = member switch
        {
            IFieldSymbol { IsConst: false } field => field.Type,
            IPropertySymbol property when HasBackingField(property) => property.Type,
            _ => null,
        };
        return KnownTypes.DerivesFrom(memberType, known.Module) ? ComponentKind.Module
            : KnownTypes.DerivesFrom(memberType, known.Parameter) ? ComponentKind.Parameter
            : KnownTypes.DerivesFrom(memberType, known.Tensor) ? ComponentKind.Buffer
            : null;
    }

    /// <summary>
    /// A module must be set when the chain calls it (a layer not annotated nullable) or when its type says it is never
    /// null; anything else is registered only when set, as TorchSharp's reflection does.
    /// </summary>
    private static ComponentRegistration Registration(ISymbol member, ComponentKind kind, bool isLayer)
    {
        if (kind != ComponentKind.Module)
            return ComponentRegistration.WhenSet;
        var annotation = NullableAnnotationOf(member);
        return annotation == NullableAnnotation.NotAnnotated || (isLayer && annotation != NullableAnnotation.Annotated)
            ? ComponentRegistration.Required
            : ComponentRegistration.WhenSet;
    }

    private static string? ComponentNameProblem(string name, Dictionary<string, string> owners) =>
        name.Length == 0 ? "is empty"
        : name.IndexOf('.') >= 0 ? "contains '.'"
        : owners.TryGetValue(name, out var owner) ? $"is already the name of '{owner}'"
        : null;

    /// <summary>
    /// The state-dict name: TorchSharp's <c>[ComponentName(Name = ...)]</c> when present, else the member's name.
    /// (The attribute has no constructor parameters, only the settable <c>Name</c>.)
    /// </summary>
    private (string Name, AttributeData? Attribute) ComponentName(ISymbol member)
    {
        var nameAttribute = member.GetAttributes()
            .FirstOrDefault(data => SymbolEqualityComparer.Default.Equals(data.AttributeClass, known.ComponentName));
        var named = nameAttribute?.NamedArguments.FirstOrDefault(argument => argument.Key == "Name").Value.Value as string;
        return named is null ? (member.Name, null) : (named, nameAttribute);
    }
}

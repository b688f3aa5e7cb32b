using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace NfmGen.Generator.Parsing;

/// <summary>The rules on the members taken together, and the warnings on a network that will be generated; one method each.</summary>
internal sealed partial class NetworkParser
{
    /// <summary>NFM006: training needs somewhere to mix: the input, or a mixable layer.</summary>
    private bool HasEligibleMixPoint(List<ParsedLayer> layers)
    {
        if (ReadMixInput() || layers.Any(layer => layer.Model.IsMixable))
            return true;
        Report(DiagnosticDescriptors.NoEligibleMixPoint, identifier, type.Name);
        return false;
    }

    /// <summary>
    /// NFM010: user members named like a generated one. <c>forward</c> and <c>RegisterComponents</c> clash only when
    /// they are not methods: a user method of that name replaces the generated one.
    /// </summary>
    private bool HasNoClashingMembers(bool emitForward, bool emitRegisterComponents)
    {
        var generated = new List<string>(GeneratedNames.Always);
        if (emitForward)
            generated.Add(GeneratedNames.Forward);
        if (emitRegisterComponents)
            generated.AddRange(new[] { GeneratedNames.RegisterComponents, GeneratedNames.RegisteredFlag });
        var clashes = members.Where(member => generated.Contains(member.Name)).ToList();
        foreach (var clash in clashes)
            Report(DiagnosticDescriptors.MemberClash, clash.Locations[0], clash.Name, type.Name);
        return clashes.Count == 0;
    }

    /// <summary>
    /// NFM013: parameters and buffers must live in fields: TorchSharp's <c>to()</c>, <c>cpu()</c> and <c>load()</c>
    /// write the moved tensor back into every field and property that holds one, which a get-only property refuses and a
    /// non-public setter skips (keeping a disposed tensor). Modules are moved in place, so they may live in properties.
    /// </summary>
    private bool HoldsTensorsInFields()
    {
        var holds = true;
        foreach (var member in members)
        {
            if (member is IPropertySymbol { IsStatic: false } property
                && KnownTypes.DerivesFrom(property.Type, known.Tensor)
                && HasBackingField(property))
            {
                Report(DiagnosticDescriptors.TensorInProperty, property.Locations[0], property.Name, property.Type.Name);
                holds = false;
            }
        }
        return holds;
    }

    /// <summary>NFM007: a mix point after the last layer mixes the logits.</summary>
    private void WarnIfLastLayerIsMixable(List<ParsedLayer> layers)
    {
        var last = layers[layers.Count - 1];
        if (last.Model.IsMixable)
            Report(DiagnosticDescriptors.MixableLastLayer, last.Symbol.Locations[0], last.Symbol.Name);
    }

    /// <summary>NFM012: without <c>RegisterComponents()</c> the network has no parameters.</summary>
    private void WarnIfComponentsAreNeverRegistered()
    {
        var called = type.InstanceConstructors
            .SelectMany(constructor => constructor.DeclaringSyntaxReferences)
            .Select(reference => reference.GetSyntax())
            .SelectMany(syntax => syntax.DescendantNodes().OfType<InvocationExpressionSyntax>())
            .Any(invocation => invocation.Expression switch
            {
                IdentifierNameSyntax name => name.Identifier.Text == GeneratedNames.RegisterComponents,
                MemberAccessExpressionSyntax access => access.Name.Identifier.Text == GeneratedNames.RegisterComponents,
                _ => false,
            });
        if (!called)
            Report(DiagnosticDescriptors.ComponentsNotRegistered, identifier, type.Name);
    }

    /// <summary>NFM017: training runs the chain, evaluation and export run <c>forward</c>; a hand-written one may differ.</summary>
    private void WarnIfForwardIsHandWritten()
    {
        var forward = members.FirstOrDefault(member =>
            member is IMethodSymbol { MethodKind: MethodKind.Ordinary } && member.Name == GeneratedNames.Forward);
        if (forward is not null)
            Report(DiagnosticDescriptors.CustomForward, forward.Locations[0], type.Name);
    }
}

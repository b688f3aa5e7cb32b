using System.Linq;
using NfmGen.Generator.Helpers;

namespace NfmGen.Generator.Model;

/// <summary>Everything the emitter needs to write one network's generated file: strings, bools and arrays only.</summary>
internal sealed record NetworkModel(
    string HintName,
    string? Namespace,
    EquatableArray<string> ContainingTypes,
    string ClassName,
    bool MixInput,
    EquatableArray<LayerModel> Layers,
    bool EmitForward,
    bool EmitRegisterComponents,
    EquatableArray<ComponentModel> Components)
{
    /// <summary>The number of mix points: the input, then one after each mixable layer.</summary>
    public int MixPointCount => 1 + Layers.Count(layer => layer.IsMixable);
}

/// <summary>One step of the forward pass.</summary>
/// <param name="Name">The member's name as written in C# (escaped with <c>@</c> where it is a keyword).</param>
/// <param name="DisplayName">The member's name as users read it (the mix point and state-dict name).</param>
/// <param name="Kind">Whether the layer is a module (invoked through <c>call</c>) or a method.</param>
/// <param name="IsMixable">Whether a mix point follows the layer.</param>
/// <param name="IsNullable">Whether the member's type is annotated nullable (the call then says <c>!</c>).</param>
internal sealed record LayerModel(string Name, string DisplayName, LayerModelKind Kind, bool IsMixable, bool IsNullable);

internal enum LayerModelKind
{
    Module,
    Method,
}

/// <summary>A member registered with TorchSharp under <paramref name="StateName"/>; a nullable one only when it is set.</summary>
internal sealed record ComponentModel(string MemberName, string StateName, ComponentKind Kind, bool IsNullable);

internal enum ComponentKind
{
    Module,
    Parameter,
    Buffer,
}

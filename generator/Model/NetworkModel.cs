using NfmGen.Generator.Helpers;

namespace NfmGen.Generator.Model;

/// <summary>Everything the emitter needs to write one network's generated file: strings, bools and arrays only.</summary>
/// <param name="HintName">The generated file's name, e.g. <c>Lab.Net.g.cs</c> (never with '@').</param>
/// <param name="Namespace">The namespace as written in C# (keyword segments escaped), or null for the global one.</param>
/// <param name="ContainingTypes">Declarations of the containing types, outermost first.</param>
/// <param name="ClassName">The class name as written in C# (escaped with <c>@</c> where it is a keyword).</param>
/// <param name="DisplayName">The class name as users read it.</param>
/// <param name="MixInput">Whether mix point 0, the input, is eligible.</param>
/// <param name="Layers">The steps of the forward pass, in order.</param>
/// <param name="EmitForward">
/// Whether to write <c>forward</c>: the user did not write one. When false, <c>NetworkInfo.HasCustomForward</c> is true.
/// </param>
/// <param name="EmitRegisterComponents">Whether to write <c>RegisterComponents()</c> (the user did not).</param>
/// <param name="Components">What <c>RegisterComponents()</c> registers, in declaration order.</param>
internal sealed record NetworkModel(
    string HintName,
    string? Namespace,
    EquatableArray<string> ContainingTypes,
    string ClassName,
    string DisplayName,
    bool MixInput,
    EquatableArray<LayerModel> Layers,
    bool EmitForward,
    bool EmitRegisterComponents,
    EquatableArray<ComponentModel> Components);

/// <summary>One step of the forward pass.</summary>
/// <param name="Name">The member's name as written in C# (escaped with <c>@</c> where it is a keyword).</param>
/// <param name="DisplayName">The member's name as users read it (the mix point and state-dict name).</param>
/// <param name="Kind">Whether the layer is a module (invoked through <c>call</c>) or a method.</param>
/// <param name="IsMixable">Whether a mix point follows the layer.</param>
/// <param name="IsOptional">
/// Whether the member's type is annotated nullable: an optional <c>[Layer]</c>, skipped (the identity) while null.
/// </param>
/// <param name="IsStatic">Whether the layer is a static method (called through the class name, not <c>this</c>).</param>
internal sealed record LayerModel(string Name, string DisplayName, LayerModelKind Kind, bool IsMixable, bool IsOptional, bool IsStatic);

internal enum LayerModelKind
{
    Module,
    Method,
}

/// <summary>A member registered with TorchSharp under a state-dict name.</summary>
/// <param name="MemberName">The member's name as written in C#.</param>
/// <param name="MemberNameLiteral">The member's name as users read it, as a C# string literal (for the error when it is null).</param>
/// <param name="StateNameLiteral">The state-dict name as a C# string literal, quotes included.</param>
/// <param name="Kind">Whether the member holds a module, a parameter or a buffer.</param>
/// <param name="Registration">What registering does when the member is null.</param>
internal sealed record ComponentModel(
    string MemberName, string MemberNameLiteral, string StateNameLiteral, ComponentKind Kind, ComponentRegistration Registration);

internal enum ComponentKind
{
    Module,
    Parameter,
    Buffer,
}

/// <summary>What the generated <c>RegisterComponents()</c> does with a component that is null.</summary>
internal enum ComponentRegistration
{
    /// <summary>
    /// Throw, naming the member: a module layer the chain calls (unless annotated nullable), or a module annotated
    /// non-nullable. TorchSharp's <c>register_module</c> would skip it silently and leave its parameters out of training.
    /// </summary>
    Required,

    /// <summary>
    /// Skip it: a module annotated nullable (or nullable-oblivious and not a layer), and every parameter and buffer
    /// (<c>register_parameter</c> and <c>register_buffer</c> refuse null), as TorchSharp's reflection does.
    /// </summary>
    WhenSet,
}

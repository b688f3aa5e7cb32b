using NfmGen.Generator.Helpers;

namespace NfmGen.Generator.Model;

/// <summary>
/// A network whose generation an error stopped, after the rules on its class held: the emitter writes only a
/// <c>forward</c> that throws, so that the compiler does not add "does not implement forward" (CS0534) to the NFM errors
/// that say what to fix. The build fails on those errors; the stand-in never runs.
/// </summary>
/// <param name="HintName">As <see cref="NetworkModel.HintName"/>.</param>
/// <param name="Namespace">As <see cref="NetworkModel.Namespace"/>.</param>
/// <param name="ContainingTypes">As <see cref="NetworkModel.ContainingTypes"/>.</param>
/// <param name="ClassName">As <see cref="NetworkModel.ClassName"/>.</param>
/// <param name="DisplayName">As <see cref="NetworkModel.DisplayName"/>.</param>
internal sealed record StandInModel(
    string HintName,
    string? Namespace,
    EquatableArray<string> ContainingTypes,
    string ClassName,
    string DisplayName);

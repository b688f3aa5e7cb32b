using System.Linq;
using Microsoft.CodeAnalysis;
using NfmGen.Generator.Helpers;

namespace NfmGen.Generator.Model;

/// <summary>A diagnostic waiting to be reported, in a form the incremental pipeline can cache.</summary>
internal sealed record DiagnosticInfo(DiagnosticDescriptor Descriptor, LocationInfo? Location, EquatableArray<string> MessageArgs)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, Location? location, params string[] messageArgs) =>
        new(descriptor, LocationInfo.From(location), messageArgs.ToEquatableArray());

    /// <summary>The diagnostic, located in <paramref name="compilation"/>'s syntax tree of that file where it has one.</summary>
    public Diagnostic ToDiagnostic(Compilation compilation) =>
        Diagnostic.Create(Descriptor, Location?.ToLocation(compilation), MessageArgs.ToArray<object>());
}

using System.Linq;
using Microsoft.CodeAnalysis;
using NfmGen.Generator.Helpers;

namespace NfmGen.Generator.Model;

/// <summary>A diagnostic waiting to be reported, in a form the incremental pipeline can cache.</summary>
internal sealed record DiagnosticInfo(DiagnosticDescriptor Descriptor, LocationInfo? Location, EquatableArray<string> MessageArgs)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, Location? location, params string[] messageArgs) =>
        new(descriptor, LocationInfo.From(location), messageArgs.ToEquatableArray());

    public Diagnostic ToDiagnostic() => Diagnostic.Create(Descriptor, Location?.ToLocation(), MessageArgs.ToArray<object>());
}

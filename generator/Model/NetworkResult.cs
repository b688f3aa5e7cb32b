using NfmGen.Generator.Helpers;

namespace NfmGen.Generator.Model;

/// <summary>What parsing one network gives: a model to emit (none when an error stops generation) and the diagnostics.</summary>
internal sealed record NetworkResult(NetworkModel? Model, EquatableArray<DiagnosticInfo> Diagnostics);

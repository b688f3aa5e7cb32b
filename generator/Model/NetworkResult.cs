using NfmGen.Generator.Helpers;

namespace NfmGen.Generator.Model;

/// <summary>
/// What parsing one network gives: a model to emit (none when an error stops generation), a stand-in to emit instead
/// when an error stopped it after the rules on the class held, and the diagnostics. The
/// pipeline splits the two at once, so that an edit that only moves a diagnostic (a comment above the class) leaves
/// the model equal and emission cached.
/// </summary>
internal sealed record NetworkResult(NetworkModel? Model, StandInModel? StandIn, EquatableArray<DiagnosticInfo> Diagnostics);

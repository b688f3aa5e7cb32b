namespace NfmGen.Reports;

/// <summary>The accuracy left after one attack of a cascade (AutoAttack's): the points every attack so far failed to fool.</summary>
/// <param name="Attack">The attack, by the reference's name: <c>apgd-ce</c>, <c>apgd-t</c>.</param>
/// <param name="Accuracy">The fraction of test inputs still classified correctly after it, in [0, 1].</param>
public sealed record AttackStage(string Attack, double Accuracy);

namespace NfmGen.Robustness;

/// <summary>Which of AutoAttack's attacks run, in order, each on the points the earlier ones left correctly classified.</summary>
public enum AutoAttackVersion
{
    /// <summary>
    /// The reference's standard cascade, what RobustBench publishes: APGD-CE, APGD-T (targeted DLR loss, 9 targets),
    /// FAB-T (9 targets), Square (5,000 queries; black-box, so it breaks models that mask their gradients).
    /// </summary>
    Standard,

    /// <summary>APGD-CE, then APGD-T: the reference's custom list of its two gradient attacks, a fifth of the standard cascade's cost when no point falls early (docs/performance.md).</summary>
    Fast,
}

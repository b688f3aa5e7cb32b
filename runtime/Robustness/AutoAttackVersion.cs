namespace NfmGen.Robustness;

/// <summary>Which of AutoAttack's attacks run, in order, each on the points the earlier ones left correctly classified.</summary>
public enum AutoAttackVersion
{
    /// <summary>APGD-CE, then APGD-T (targeted DLR loss, 9 target classes): the reference's custom list of its two gradient attacks.</summary>
    Fast,
}

namespace NfmGen.Robustness.AutoAttack;

/// <summary>The norm of an attack's budget: the ball its perturbations stay in, in pixel units.</summary>
internal enum AttackNorm
{
    /// <summary>The largest change of any pixel is at most ε.</summary>
    Linf,

    /// <summary>The Euclidean length of the whole change is at most ε.</summary>
    L2,
}

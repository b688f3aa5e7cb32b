namespace NfmGen.Reports;

/// <summary>
/// What a <see cref="PerturbationResult"/> perturbed the test inputs with. The declaration order is the column order of
/// every report: white noise, salt and pepper, FGSM, PGD, then CIFAR-10-C, then ImageNet-C, then feature drop (tables).
/// </summary>
public enum PerturbationKind
{
    /// <summary>Additive Gaussian noise of standard deviation σ (the level).</summary>
    WhiteNoise,

    /// <summary>Salt-and-pepper noise: a fraction γ (the level) of the pixels set to the minimum or maximum value.</summary>
    SaltAndPepper,

    /// <summary>The fast gradient sign method (one step) with an L∞ budget ε (the level).</summary>
    Fgsm,

    /// <summary>Projected gradient descent with an L∞ budget ε (the level).</summary>
    Pgd,

    /// <summary>
    /// AutoAttack (Croce and Hein, 2020) with an L∞ budget ε (the level): the accuracy that survives every attack of its
    /// version (<see cref="PerturbationResult.Version"/>), each one's in <see cref="PerturbationResult.Stages"/>.
    /// </summary>
    AutoAttack,

    /// <summary>AutoAttack with an L2 budget ε (the level), as <see cref="AutoAttack"/>.</summary>
    AutoAttackL2,

    /// <summary>One CIFAR-10-C corruption (named by <see cref="PerturbationResult.Corruption"/>) at a severity 1-5 (the level).</summary>
    CifarCorruption,

    /// <summary>The mean over the CIFAR-10-C corruptions at a severity 1-5 (the level), or over all severities (level 0).</summary>
    CifarCorruptionMean,

    /// <summary>One ImageNet-C corruption (named by <see cref="PerturbationResult.Corruption"/>) at a severity 1-5 (the level).</summary>
    ImageNetCorruption,

    /// <summary>The mean over the ImageNet-C corruptions evaluated at a severity 1-5 (the level), or over all severities (level 0).</summary>
    ImageNetCorruptionMean,

    /// <summary>
    /// Table rows: each input column of each row set missing with probability p (the level), then filled as the run's
    /// training filled missing values (with no imputation, the training mean); a one-hot column is dropped whole.
    /// </summary>
    FeatureDrop,
}

namespace NfmGen.Mixing;

/// <summary>How the noise levels of <see cref="NfmOptions"/> become the noise scales of one training step.</summary>
public enum NoiseScaleRule
{
    /// <summary>
    /// As the reference implementation (erichson/NFM, <c>_noise</c>): each level is multiplied by a fresh Beta(2, 5)
    /// draw per batch, so a step's noise is usually weaker than the level (mean 2/7 of it).
    /// </summary>
    Reference,

    /// <summary>As the paper's formula: the levels are the scales of every step.</summary>
    Fixed,
}

using static TorchSharp.torch;

namespace NfmGen.Mixing;

/// <summary>
/// The random choices of one Noisy Feature Mixup step, drawn by <see cref="NoisyFeatureMixer.Sample"/> and applied by
/// <see cref="NoisyFeatureMixer.Apply"/>: a mix point, λ, the partners and this step's noise scales.
/// </summary>
/// <param name="MixPoint">The mix point k where features are mixed and perturbed (0 is the input).</param>
/// <param name="Lambda">The mixing weight λ of the batch itself; 1 means no mixing.</param>
/// <param name="Permutation">The batch's partners: row i is mixed with row <c>Permutation[i]</c> (int64, on the mixer's device).</param>
/// <param name="AdditiveScale">The standard deviation of this step's additive Gaussian noise; 0 means none.</param>
/// <param name="MultiplicativeScale">The half-width of this step's multiplicative factor 1 + s·U(-1, 1); 0 means none.</param>
/// <remarks>
/// A batch of AugMix's views (<see cref="Views"/> &gt; 1) is mixed as NoisyMix's <c>do_noisy_mixup</c> mixes it: each
/// view with its own rows, all with the same λ and <see cref="MixingStep.Permutation"/>, and each view perturbed with
/// noise scales of its own (the first view's are <paramref name="AdditiveScale"/> and <paramref name="MultiplicativeScale"/>).
/// </remarks>
internal sealed record NfmStep(int MixPoint, double Lambda, Tensor Permutation, double AdditiveScale, double MultiplicativeScale)
    : MixingStep(MixPoint, Lambda, Permutation)
{
    /// <summary>The noise scales of the second and later views, in order; empty for a batch of one view.</summary>
    public IReadOnlyList<(double Additive, double Multiplicative)> LaterViews { get; init; } = [];

    /// <summary>How many views of the batch the features hold, view by view (<see cref="MixingStep.Permutation"/> permutes each view's rows).</summary>
    public int Views => 1 + LaterViews.Count;

    /// <summary>The noise scales of view <paramref name="view"/> (0 is the first).</summary>
    public (double Additive, double Multiplicative) ScalesOf(int view) => view == 0 ? (AdditiveScale, MultiplicativeScale) : LaterViews[view - 1];
}

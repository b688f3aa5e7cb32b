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
internal sealed record NfmStep(int MixPoint, double Lambda, Tensor Permutation, double AdditiveScale, double MultiplicativeScale)
    : MixingStep(MixPoint, Lambda, Permutation);

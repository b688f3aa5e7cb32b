using static TorchSharp.torch;

namespace NfmGen.Mixing;

/// <summary>
/// The random choices of one training step, drawn by an <see cref="IBatchMixer"/>: what every mixing method shares, and
/// all that <see cref="MixedLoss.CrossEntropy"/> and the trainer read. Each method's mixer adds its own draws in its own
/// step type (<see cref="NfmStep"/>, <see cref="CutMixStep"/>, <see cref="PuzzleMixStep"/>), which only that mixer applies.
/// </summary>
/// <param name="MixPoint">The mix point k where features are mixed (0 is the input).</param>
/// <param name="Lambda">The weight λ of each sample's own label; 1 means no mixing.</param>
/// <param name="Permutation">The batch's partners: row i is mixed with row <c>Permutation[i]</c> (int64, on the mixer's device).</param>
internal abstract record MixingStep(int MixPoint, double Lambda, Tensor Permutation)
{
    /// <summary>
    /// Each sample's weight of its own label (float32, one per row, on the mixer's device), for methods whose samples
    /// keep different shares of themselves (Puzzle Mix: the area of each sample's mask); null when every sample has
    /// <see cref="Lambda"/>.
    /// </summary>
    public virtual Tensor? OwnShares => null;
}

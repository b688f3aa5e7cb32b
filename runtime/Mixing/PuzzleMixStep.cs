using static TorchSharp.torch;

namespace NfmGen.Mixing;

/// <summary>
/// A Puzzle Mix step, drawn and computed by <see cref="PuzzleMixMixer.Sample"/>: the grid, λ, the partners, whether the
/// adversarial step perturbed each side, and the result of the mix, which needs the network's saliency and so is made
/// with the draws rather than by the transform.
/// </summary>
/// <param name="Lambda">The drawn λ ~ Beta(α, α): the share of its own image that the labelling aims each sample to keep.</param>
/// <param name="Permutation">The batch's partners: row i is mixed with row <c>Permutation[i]</c> (int64, on the mixer's device).</param>
/// <param name="BlockCount">The side of the graph-cut grid, in blocks (2, 4, 8 or 16).</param>
/// <param name="Shares">Each sample's share of its own image in the mix, float32 (N): the weight of its own label.</param>
/// <param name="Mixed">The mixed batch that the step trains on, at the input.</param>
/// <param name="PerturbOwn">Whether the adversarial noise was added to each sample's own image.</param>
/// <param name="PerturbPartner">Whether the adversarial noise was added to its partner's image.</param>
internal sealed record PuzzleMixStep(
    double Lambda, Tensor Permutation, int BlockCount, Tensor Shares, Tensor Mixed, bool PerturbOwn = false, bool PerturbPartner = false)
    : MixingStep(0, Lambda, Permutation)
{
    /// <inheritdoc />
    public override Tensor? OwnShares => Shares;
}

using NfmGen.Data;
using static System.FormattableString;
using static TorchSharp.torch;

namespace NfmGen;

/// <summary>
/// Puzzle Mix on one batch of images (snu-mllab/PuzzleMix, <c>mixup.py</c>'s <c>mixup_graph</c>): per-sample
/// graph-cut masks over a grid of blocks, optional transport of salient blocks, and the masked mix of each image with
/// its partner. Pure tensor and CPU work: no network and no random draws (the caller draws λ, the grid and the
/// partners, and computes the saliency).
/// </summary>
public static class PuzzleMixImages
{
    private static readonly int[] CandidateBlockCounts = [2, 4, 8, 16];

    /// <summary>
    /// The block counts per side that an image side allows: those of the reference's 2, 4, 8 and 16 that divide the
    /// side (all four for 32; 2 and 4 for Fashion-MNIST's 28).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">No count divides the side (an odd side, or one below 2).</exception>
    public static IReadOnlyList<int> BlockCounts(int side)
    {
        var counts = Array.FindAll(CandidateBlockCounts, count => side >= count && side % count == 0);
        if (counts.Length == 0)
            throw new ArgumentOutOfRangeException(
                nameof(side), side, Invariant($"Puzzle Mix needs an image side divisible by 2, 4, 8 or 16 (was {side})."));
        return counts;
    }

    /// <summary>
    /// Mixes each image of <paramref name="inputs"/> with its partner <c>inputs[permutation]</c> as Puzzle Mix does
    /// for one batch. Returns the mixed batch (N, C, S, S) and each sample's own-label share (the mean of its mask),
    /// float32 (N), on the inputs' device.
    /// </summary>
    public static (Tensor Mixed, Tensor OwnShares) Mix(
        Tensor inputs, Tensor saliency, Tensor permutation, int blockCount, double lambda,
        PuzzleMixOptions options, Normalization normalization, int parallelism,
        Tensor? adversarialNoise = null, bool perturbOwn = false, bool perturbPartner = false) =>
        throw new NotImplementedException("Puzzle Mix's Mix is being written on the puzzle-core branch.");
}

using NfmGen.Data;
using NfmGen.Network;
using static System.FormattableString;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace NfmGen.Mixing.PuzzleMix;

/// <summary>
/// Puzzle Mix on one batch of images (snu-mllab/PuzzleMix, <c>mixup.py</c>'s <c>mixup_graph</c>): per-sample
/// graph-cut masks over a grid of blocks, optional transport of salient blocks, and the masked mix of each image with
/// its partner. Pure tensor and CPU work: no network and no random draws (the caller draws λ, the grid and the
/// partners, and computes the saliency).
/// </summary>
internal static class PuzzleMixImages
{
    private static readonly int[] CandidateBlockCounts = [2, 4, 8, 16];

    /// <summary>
    /// The block counts per side that an image side allows: those of the reference's 2, 4, 8 and 16 that divide the
    /// side (all four for 32; 2 and 4 for Fashion-MNIST's 28).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">No count divides the side (an odd side, or one below 2).</exception>
    internal static IReadOnlyList<int> BlockCounts(int side)
    {
        var counts = Array.FindAll(CandidateBlockCounts, count => side >= count && side % count == 0);
        if (counts.Length == 0)
            throw new ArgumentOutOfRangeException(
                nameof(side), side, Invariant($"Puzzle Mix needs an image side divisible by 2, 4, 8 or 16 (was {side})."));
        return counts;
    }

    /// <summary>
    /// Mixes each image of <paramref name="inputs"/> with its partner <c>inputs[permutation]</c> as Puzzle Mix does
    /// for one batch (the reference's <c>mixup_graph</c>): per-sample graph-cut masks on a
    /// <paramref name="blockCount"/>² grid (<see cref="PuzzleMixCosts"/>, <see cref="PuzzleMixLabelling"/>), then
    /// <see cref="MixWithMasks"/>. Sizes follow <see cref="PuzzleMixGrid.For"/>.
    /// </summary>
    /// <param name="inputs">Normalised images (N, C, S, S), float32, on any device.</param>
    /// <param name="saliency">
    /// Per-pixel saliency (N, S, S), float32, ≥ 0, on the inputs' device: the reference's square root of the channel
    /// mean of the squared input gradient.
    /// </param>
    /// <param name="permutation">Each image's partner (N), int64, on the inputs' device.</param>
    /// <param name="blockCount">The graph cut's blocks per side, one of <see cref="BlockCounts"/>(S).</param>
    /// <param name="lambda">λ in [0, 1], the batch's mixing weight (the prior's share of the own image).</param>
    /// <param name="options">The settings.</param>
    /// <param name="normalization">How the images were normalised.</param>
    /// <param name="parallelism">The most threads that label samples, ≥ 1.</param>
    /// <param name="adversarialNoise">Pixel-space noise (N, C, S, S) for the adversarial option, or null.</param>
    /// <param name="perturbOwn">Whether the noise is added to each image before mixing.</param>
    /// <param name="perturbPartner">Whether the noise of each partner (<c>noise[permutation]</c>) is added to it.</param>
    /// <returns>
    /// The mixed batch (N, C, S, S) and each sample's own-label share (its mask's mean), float32 (N), on the
    /// inputs' device, without gradients.
    /// </returns>
    /// <exception cref="ArgumentException">A shape, type, size or setting is out of range; the message names it.</exception>
    internal static (Tensor Mixed, Tensor OwnShares) Mix(
        Tensor inputs, Tensor saliency, Tensor permutation, int blockCount, double lambda,
        PuzzleMixOptions options, Normalization normalization, int parallelism,
        Tensor? adversarialNoise = null, bool perturbOwn = false, bool perturbPartner = false)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(normalization);
        PuzzleMixInputs.Check(inputs, saliency, permutation, normalization);
        if (parallelism < 1)
            throw new ArgumentOutOfRangeException(nameof(parallelism), parallelism, Invariant($"parallelism must be >= 1 (was {parallelism})."));
        var grid = PuzzleMixGrid.For((int)inputs.shape[2], blockCount, options);

        using var scope = NewDisposeScope();
        var costs = PuzzleMixCosts.Compute(inputs, saliency, permutation, grid, lambda, options, normalization);
        var labels = PuzzleMixLabelling.Label(costs, parallelism);
        var masks = PuzzleMixLabelling.Masks(labels, costs.Samples, blockCount, options.Labels, inputs.device);
        var (mixed, shares) = MixWithMasks(
            inputs, saliency, permutation, grid, masks, options, normalization, adversarialNoise, perturbOwn, perturbPartner, parallelism);
        return (mixed.MoveToOuterDisposeScope(), shares.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// The rest of the reference's <c>mixup_graph</c> once the masks are known: the adversarial noise, transport (when
    /// <see cref="PuzzleMixOptions.Transport"/>), the masks brought to the image side, and
    /// <c>mask · own + (1 − mask) · partner</c>.
    /// </summary>
    /// <param name="inputs">Normalised images (N, C, S, S), float32.</param>
    /// <param name="saliency">Per-pixel saliency (N, S, S), float32.</param>
    /// <param name="permutation">Each image's partner (N), int64.</param>
    /// <param name="grid">The batch's sizes.</param>
    /// <param name="masks">Each block's share of the own image, (N, 1, blocks, blocks), float32.</param>
    /// <param name="options">The settings; Transport and TransportCost are used (the sizes come from the grid).</param>
    /// <param name="normalization">How the images were normalised.</param>
    /// <param name="adversarialNoise">Pixel-space noise (N, C, S, S), or null.</param>
    /// <param name="perturbOwn">Whether the noise is added to each image.</param>
    /// <param name="perturbPartner">Whether each partner's noise is added to it.</param>
    /// <param name="parallelism">The most threads that compute transport plans, ≥ 1.</param>
    /// <returns>The mixed batch and each sample's mask mean, on the inputs' device, without gradients.</returns>
    /// <exception cref="ArgumentException">A shape or type is wrong; the message names it.</exception>
    internal static (Tensor Mixed, Tensor OwnShares) MixWithMasks(
        Tensor inputs, Tensor saliency, Tensor permutation, PuzzleMixGrid grid, Tensor masks, PuzzleMixOptions options,
        Normalization normalization, Tensor? adversarialNoise = null, bool perturbOwn = false, bool perturbPartner = false,
        int parallelism = 1)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(masks);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(normalization);
        PuzzleMixInputs.Check(inputs, saliency, permutation, normalization, grid.Side);
        var samples = inputs.shape[0];
        if (masks.dim() != 4 || masks.shape[0] != samples || masks.shape[1] != 1 || masks.shape[2] != grid.BlockCount
            || masks.shape[3] != grid.BlockCount || masks.dtype != ScalarType.Float32)
            throw new ArgumentException(
                Invariant($"masks must be float32 shaped (N, 1, blocks, blocks) = [{samples}, 1, {grid.BlockCount}, {grid.BlockCount}] (were {masks.dtype} [{PuzzleMixInputs.Shape(masks)}])."),
                nameof(masks));
        if ((perturbOwn || perturbPartner) && (adversarialNoise is null || !adversarialNoise.shape.SequenceEqual(inputs.shape)))
            throw new ArgumentException(
                Invariant($"Perturbing needs adversarial noise shaped like the inputs [{PuzzleMixInputs.Shape(inputs)}] (was {(adversarialNoise is null ? "null" : "[" + PuzzleMixInputs.Shape(adversarialNoise) + "]")})."),
                nameof(adversarialNoise));

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var scalars = new ScalarScope();
        var own = inputs;
        var partner = inputs.index_select(0, permutation);
        var mask = masks;

        // add adversarial noise: in pixel space, clamped to [0, 1]
        if (perturbOwn)
            own = normalization.Normalize(normalization.ToPixels(own).add(adversarialNoise!, scalars.Of(1)).clamp(scalars.Of(0), scalars.Of(1)));
        if (perturbPartner)
            partner = normalization.Normalize(normalization.ToPixels(partner).add(adversarialNoise!.index_select(0, permutation), scalars.Of(1)).clamp(scalars.Of(0), scalars.Of(1)));

        if (options.Transport)
        {
            // On the graph cut's blocks, the saliency is theirs; on smaller transport blocks, the mask is repeated
            // onto them and the saliency averaged over them.
            if (grid.TransportSize < grid.BlockSize)
                mask = interpolate(mask, [grid.TransportBlockCount, grid.TransportBlockCount], mode: InterpolationMode.Nearest);
            var ownSaliency = PuzzleMixCosts.BlockSaliency(saliency, grid.TransportSize);
            var partnerSaliency = ownSaliency.index_select(0, permutation);
            own = PuzzleMixTransport.Apply(
                own, PuzzleMixTransport.Sources(mask, ownSaliency, options.TransportCost, parallelism), grid.TransportSize);
            partner = PuzzleMixTransport.Apply(
                partner, PuzzleMixTransport.Sources(mask.neg().add(scalars.Of(1), scalars.Of(1)), partnerSaliency, options.TransportCost, parallelism), grid.TransportSize);
        }

        // final mask and mixed ratio
        mask = interpolate(mask, [grid.Side, grid.Side], mode: InterpolationMode.Nearest);
        var shares = mask.reshape(samples, -1).mean([-1]);
        var mixed = mask.mul(own).add(mask.neg().add(scalars.Of(1), scalars.Of(1)).mul(partner), scalars.Of(1));
        return (mixed.MoveToOuterDisposeScope(), shares.MoveToOuterDisposeScope());
    }
}

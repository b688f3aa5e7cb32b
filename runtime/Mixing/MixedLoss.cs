using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace NfmGen.Mixing;

/// <summary>The loss of a mixed batch: each target weighted by its share in the mix.</summary>
internal static class MixedLoss
{
    /// <summary>
    /// λ·CE(logits, y) + (1 − λ)·CE(logits, y[perm]), with λ and perm from <paramref name="step"/>; plain cross-entropy
    /// when λ = 1. Both terms are means over the batch. When the step has per-sample shares s
    /// (<see cref="MixingStep.OwnShares"/>), the mean over the batch of s_i·CE_i(y_i) + (1 − s_i)·CE_i(y[perm]_i) instead.
    /// </summary>
    /// <param name="logits">Unnormalised scores, batch × classes.</param>
    /// <param name="targets">Class indices (int64), one per row, on the logits' device.</param>
    /// <param name="step">The step that mixed this batch.</param>
    /// <param name="labelSmoothing">The label-smoothing factor in [0, 1) of each term (0: none).</param>
    public static Tensor CrossEntropy(Tensor logits, Tensor targets, MixingStep step, double labelSmoothing = 0)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(step);
        if (step.OwnShares is { } shares)
            return PerSampleShares(logits, targets, step.Permutation, shares, labelSmoothing);
        if (step.Lambda == 1.0)
            return cross_entropy(logits, targets, label_smoothing: labelSmoothing);

        var partnerTargets = targets.index_select(0, step.Permutation);
        return cross_entropy(logits, targets, label_smoothing: labelSmoothing).mul_(step.Lambda)
            .add_(cross_entropy(logits, partnerTargets, label_smoothing: labelSmoothing), alpha: 1.0 - step.Lambda);
    }

    // s·CE(own) + (1 − s)·CE(partner) = CE(partner) + s·(CE(own) − CE(partner)), per row, then the batch mean.
    private static Tensor PerSampleShares(Tensor logits, Tensor targets, Tensor permutation, Tensor shares, double labelSmoothing)
    {
        var own = cross_entropy(logits, targets, reduction: nn.Reduction.None, label_smoothing: labelSmoothing);
        var partner = cross_entropy(logits, targets.index_select(0, permutation), reduction: nn.Reduction.None, label_smoothing: labelSmoothing);
        return partner.add(own.sub(partner).mul(shares.to(own.dtype))).mean();
    }
}

using NfmGen.Data.Augmentation;
using NfmGen.Network;
using NfmGen.Training;
using static System.FormattableString;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace NfmGen.Mixing;

/// <summary>
/// The loss of a mixed batch: each target weighted by its share in the mix; with AugMix's views, that of the clean view
/// plus the views' Jensen-Shannon consistency (<see cref="Of"/>, the one loss the trainer computes).
/// </summary>
internal static class MixedLoss
{
    /// <summary>
    /// The training loss of <paramref name="scheme"/> on a batch mixed by <paramref name="step"/>: <see cref="CrossEntropy"/>
    /// with the scheme's label smoothing; with AugMix's views (logits <c>[3B, classes]</c>, view by view), the
    /// cross-entropy of the clean view plus <see cref="AugMixOptions.JsdWeight"/> times <see cref="JensenShannon"/>, as
    /// google-research/augmix's and erichson/NoisyMix's <c>train</c> compute it.
    /// </summary>
    public static Tensor Of(Tensor logits, Tensor targets, MixingStep step, TrainingScheme scheme)
    {
        ArgumentNullException.ThrowIfNull(scheme);
        if (scheme.AugMix is not { } augMix)
            return CrossEntropy(logits, targets, step, scheme.LabelSmoothing);
        if (logits.dim() == 0 || logits.shape[0] != AugMixViews.Count * targets.shape[0])
            throw new ArgumentException(
                Invariant($"the scheme '{scheme.Name}' trains on AugMix's {AugMixViews.Count} views of each sample: logits must have {AugMixViews.Count} x {targets.shape[0]} rows for {targets.shape[0]} labels (were [{string.Join(", ", logits.shape)}])"),
                nameof(logits));
        var loss = CrossEntropy(CleanView(logits, targets), targets, step, scheme.LabelSmoothing);
        if (augMix.JsdWeight == 0)
            return loss;
        using var scalars = new ScalarScope();
        return loss.add_(JensenShannon(logits, AugMixViews.Count), alpha: scalars.Of(augMix.JsdWeight));
    }

    /// <summary>The rows of the first (clean) view of logits that hold the views of <paramref name="targets"/>' samples one after another.</summary>
    public static Tensor CleanView(Tensor logits, Tensor targets) => logits.narrow(0, 0, targets.shape[0]);

    /// <summary>
    /// The Jensen-Shannon divergence between the softmax predictions of <paramref name="views"/> views (logits
    /// <c>[views·B, classes]</c>, view by view): the mean over views of KL(pᵥ ‖ M), M their mean clamped to [1e-7, 1]
    /// (the reference's guard against an exploding divergence), each KL summed over classes and averaged over the B samples
    /// (<c>F.kl_div(M.log(), pᵥ, reduction='batchmean')</c>).
    /// </summary>
    public static Tensor JensenShannon(Tensor logits, int views)
    {
        ArgumentNullException.ThrowIfNull(logits);
        if (views < 2 || logits.dim() != 2 || logits.shape[0] % views != 0)
            throw new ArgumentException(Invariant($"logits must be [views * B, classes] for {views} views, at least 2 (were [{string.Join(", ", logits.shape)}])"), nameof(logits));
        var samples = logits.shape[0] / views;
        using var scalars = new ScalarScope();
        var probabilities = softmax(logits, 1).split(samples, 0);
        var mixture = stack(probabilities).sum(dim: 0).div_(scalars.Of((double)views)).clamp_(scalars.Of(1e-7), scalars.Of(1)).log_();
        // xlogy(p, p) − p·log M, summed: p·log p is 0 where p is 0 (a softmax that underflowed), as torch's kl_div takes it;
        // the clamp is the smallest normal number, so that no denormal reaches the log.
        var smallest = logits.dtype == ScalarType.Float64 ? 2.2250738585072014E-308 : 1.17549435E-38;
        var total = probabilities.Select(p => p.mul(p.clamp_min(scalars.Of(smallest)).log()).sub_(p * mixture).sum()).Aggregate((sum, term) => sum.add_(term, scalars.Of(1)));
        return total.div_(scalars.Of((double)samples)).div_(scalars.Of((double)views));
    }

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
        using var scalars = new ScalarScope();
        return cross_entropy(logits, targets, label_smoothing: labelSmoothing).mul_(scalars.Of(step.Lambda))
            .add_(cross_entropy(logits, partnerTargets, label_smoothing: labelSmoothing), alpha: scalars.Of(1.0 - step.Lambda));
    }

    // s·CE(own) + (1 − s)·CE(partner) = CE(partner) + s·(CE(own) − CE(partner)), per row, then the batch mean.
    private static Tensor PerSampleShares(Tensor logits, Tensor targets, Tensor permutation, Tensor shares, double labelSmoothing)
    {
        var own = cross_entropy(logits, targets, reduction: nn.Reduction.None, label_smoothing: labelSmoothing);
        var partner = cross_entropy(logits, targets.index_select(0, permutation), reduction: nn.Reduction.None, label_smoothing: labelSmoothing);
        using var scalars = new ScalarScope();
        return partner.add(own.sub(partner).mul(shares.to(own.dtype)), scalars.Of(1)).mean();
    }
}

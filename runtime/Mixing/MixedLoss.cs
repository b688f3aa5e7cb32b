using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace NfmGen;

/// <summary>The loss of a mixed batch: each target weighted by its share in the mix.</summary>
public static class MixedLoss
{
    /// <summary>
    /// λ·CE(logits, y) + (1 − λ)·CE(logits, y[perm]), with λ and perm from <paramref name="step"/>;
    /// plain cross-entropy when λ = 1. Both terms are means over the batch.
    /// </summary>
    /// <param name="logits">Unnormalised scores, batch × classes.</param>
    /// <param name="targets">Class indices (int64), one per row, on the logits' device.</param>
    /// <param name="step">The step that mixed this batch.</param>
    public static Tensor CrossEntropy(Tensor logits, Tensor targets, MixingStep step)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(step);
        if (step.Lambda == 1.0)
            return cross_entropy(logits, targets);

        // One log-softmax serves both terms.
        var logProbabilities = log_softmax(logits, 1);
        var partnerTargets = targets.index_select(0, step.Permutation);
        return nll_loss(logProbabilities, targets).mul_(step.Lambda)
            .add_(nll_loss(logProbabilities, partnerTargets), alpha: 1.0 - step.Lambda);
    }
}

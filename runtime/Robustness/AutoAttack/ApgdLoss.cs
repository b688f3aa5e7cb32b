using NfmGen.Network;
using static TorchSharp.torch;

namespace NfmGen.Robustness.AutoAttack;

/// <summary>
/// The per-sample losses APGD climbs (fra31/auto-attack, <c>autopgd_base.py</c>): cross-entropy, and the difference
/// of logits ratio (DLR), untargeted and targeted, which is invariant to shifting and scaling the logits.
/// </summary>
internal static class ApgdLoss
{
    /// <summary>Cross-entropy of the true labels, per sample.</summary>
    public static Tensor CrossEntropy(Tensor logits, Tensor labels) => nn.functional.cross_entropy(logits, labels, reduction: nn.Reduction.None);

    /// <summary>
    /// DLR: −(z_y − max_{i≠y} z_i) / (z_π1 − z_π3 + 1e-12), with z sorted so that z_π1 is the largest: the reference's
    /// <c>dlr_loss</c>, which takes the second largest logit when the largest is the true class's.
    /// </summary>
    public static Tensor DifferenceOfLogitsRatio(Tensor logits, Tensor labels)
    {
        using var scope = NewDisposeScope();
        using var scalars = new ScalarScope();
        var (sorted, order) = logits.sort(dim: 1);
        var trueIsLargest = order[.., -1].eq(labels).to_type(logits.dtype);
        var trueLogit = logits.gather(1, labels.unsqueeze(1)).squeeze(1);
        var numerator = trueLogit - sorted[.., -2] * trueIsLargest - sorted[.., -1] * trueIsLargest.negative().add(scalars.Of(1.0), scalars.Of(1));
        return (-numerator / (sorted[.., -1] - sorted[.., -3]).add(scalars.Of(1e-12), scalars.Of(1))).MoveToOuterDisposeScope();
    }

    /// <summary>Targeted DLR: −(z_y − z_t) / (z_π1 − (z_π3 + z_π4) / 2 + 1e-12), the reference's <c>dlr_loss_targeted</c>.</summary>
    public static Tensor TargetedDifferenceOfLogitsRatio(Tensor logits, Tensor labels, Tensor targets)
    {
        using var scope = NewDisposeScope();
        using var scalars = new ScalarScope();
        var sorted = logits.sort(dim: 1).Values;
        var trueLogit = logits.gather(1, labels.unsqueeze(1)).squeeze(1);
        var targetLogit = logits.gather(1, targets.unsqueeze(1)).squeeze(1);
        return (-(trueLogit - targetLogit) / (sorted[.., -1] - scalars.Of(0.5) * sorted[.., -3].add(sorted[.., -4], scalars.Of(1))).add(scalars.Of(1e-12), scalars.Of(1))).MoveToOuterDisposeScope();
    }
}

using NfmGen.Inference;
using static TorchSharp.torch;

namespace NfmGen.Robustness.AutoAttack;

/// <summary>The random numbers the attacks draw: uniform in [0, 1) and standard normal, of a shape, on the pixels' device.</summary>
/// <param name="Uniform">The reference's <c>torch.rand</c>: APGD's L∞ start, Square's windows and signs.</param>
/// <param name="Normal">The reference's <c>torch.randn</c>: APGD's L2 start.</param>
internal sealed record AttackDraws(Func<long[], Tensor> Uniform, Func<long[], Tensor> Normal);

/// <summary>What AutoAttack did to one batch: the points correct before any attack and after each, and the adversarial pixels.</summary>
/// <param name="Clean">Whether each point is classified correctly unperturbed.</param>
/// <param name="RobustAfter">Whether each point is still classified correctly after each attack of <see cref="AutoAttackCascade.Attacks"/>, in order.</param>
/// <param name="Adversarial">For each point, the adversarial pixels of the first attack that fooled it, or its clean pixels.</param>
internal sealed record CascadeResult(Tensor Clean, IReadOnlyList<Tensor> RobustAfter, Tensor Adversarial);

/// <summary>
/// AutoAttack's evaluation of one batch (fra31/auto-attack, <c>run_standard_evaluation</c>): the clean pass, then each
/// attack of the version on the points still classified correctly, with the settings of <c>set_version('standard')</c>
/// for L∞ and L2: APGD-CE (100 iterations, one restart), APGD-T and FAB-T (9 target classes each), Square (5,000
/// queries).
/// </summary>
internal static class AutoAttackCascade
{
    /// <summary>The reference's settings: iterations per APGD run, and the targets APGD-T tries.</summary>
    public const int Iterations = 100, TargetClasses = 9;

    /// <summary>The fewest classes the targeted DLR loss takes (it reads the fourth largest logit).</summary>
    public const int MinimumClasses = 4;

    /// <summary>The attacks of <paramref name="version"/>, by the reference's names, in the order they run.</summary>
    public static IReadOnlyList<string> Attacks(AutoAttackVersion version) => version switch
    {
        AutoAttackVersion.Standard => ["apgd-ce", "apgd-t", "fab-t", "square"],
        AutoAttackVersion.Fast => ["apgd-ce", "apgd-t"],
        _ => throw new ArgumentOutOfRangeException(nameof(version), version, $"accepted: {string.Join(", ", Enum.GetNames<AutoAttackVersion>())}"),
    };

    /// <summary>Runs the cascade on a batch of pixels in [0, 1].</summary>
    /// <param name="inference">The model's open input-gradient scope.</param>
    /// <param name="logits">Pixels to logits.</param>
    /// <param name="pixels">The batch, <c>[B, ...]</c>.</param>
    /// <param name="labels">The true labels, int64 <c>[B]</c>.</param>
    /// <param name="norm">The budget's norm.</param>
    /// <param name="epsilon">The budget in pixel units.</param>
    /// <param name="version">Which attacks run.</param>
    /// <param name="draws">The attacks' random numbers.</param>
    /// <param name="cancellationToken">Stops the attacks between steps with <see cref="OperationCanceledException"/>.</param>
    public static CascadeResult Run(InferenceScope inference, Func<Tensor, Tensor> logits, Tensor pixels, Tensor labels, AttackNorm norm, double epsilon,
        AutoAttackVersion version, AttackDraws draws, CancellationToken cancellationToken = default)
    {
        using var scope = NewDisposeScope();
        Tensor cleanLogits;
        using (no_grad())
            cleanLogits = logits(pixels);
        var classes = (int)cleanLogits.shape[1];
        if (classes < MinimumClasses)
            throw new ArgumentException($"AutoAttack needs a classifier of at least {MinimumClasses} classes (its targeted DLR loss reads the fourth largest logit); this one has {classes}");
        var apgd = new Apgd(inference, logits, norm, epsilon, norm == AttackNorm.Linf ? draws.Uniform : draws.Normal, Iterations, cancellationToken);
        // The reference tries 9 targets and so needs 10 classes; with fewer, every other class is a target.
        var targets = Math.Min(TargetClasses, classes - 1);
        var robust = cleanLogits.argmax(1).eq(labels);
        var clean = robust.clone();
        var adversarial = pixels.clone();
        var after = new List<Tensor>();
        foreach (var attack in Attacks(version))
        {
            var indices = robust.nonzero().squeeze(1);
            if (indices.numel() > 0)
            {
                var (x, y) = (pixels.index_select(0, indices), labels.index_select(0, indices));
                var found = attack switch
                {
                    "apgd-ce" => apgd.Untargeted(x, y, ApgdLoss.CrossEntropy),
                    "apgd-t" => apgd.Targeted(x, y, targets),
                    "fab-t" => new FabTargeted(inference, logits, norm, epsilon, Iterations, cancellationToken).Attack(x, y, targets),
                    _ => new SquareAttack(logits, norm, epsilon, draws.Uniform, SquareAttack.Queries, cancellationToken).Attack(x, y),
                };
                using (no_grad())
                    Outcome.Record(robust, adversarial, indices, logits(found).argmax(1).ne(y), found);
            }
            after.Add(robust.clone().MoveToOuterDisposeScope());
        }
        return new CascadeResult(clean.MoveToOuterDisposeScope(), after, adversarial.MoveToOuterDisposeScope());
    }
}

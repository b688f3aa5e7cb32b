using NfmGen.Inference;
using NfmGen.Network;
using static TorchSharp.torch;

namespace NfmGen.Robustness.AutoAttack;

/// <summary>
/// Auto-PGD (Croce and Hein, ICML 2020), statement by statement as fra31/auto-attack's <c>APGDAttack</c> and
/// <c>APGDAttack_targeted</c> run it for the L∞ and L2 norms: a random start in the ε-ball, steps of size 2ε with
/// momentum 0.75, and at checkpoints (after 22% of the iterations, then at shrinking intervals down to 6%) the step
/// halved, back at the best point, where the loss rose in fewer than ρ of the steps since the last checkpoint or the
/// best loss did not improve since a checkpoint that did not halve it. It acts on pixels in [0, 1], which
/// <paramref name="logits"/> maps to the model's outputs.
/// </summary>
/// <param name="inference">The open input-gradient scope of the model.</param>
/// <param name="logits">Pixels to logits: the model on the normalised pixels.</param>
/// <param name="norm">The budget's norm.</param>
/// <param name="epsilon">The budget, in pixel units.</param>
/// <param name="startNoise">
/// The random start's draw for a shape: uniform in [0, 1) for L∞, standard normal for L2 (the reference's
/// <c>torch.rand</c> and <c>torch.randn</c>), on the pixels' device.
/// </param>
/// <param name="iterations">Steps per run (100 in AutoAttack).</param>
/// <param name="cancellationToken">Checked before every step: a run on a large batch lasts minutes on a CPU.</param>
internal sealed class Apgd(InferenceScope inference, Func<Tensor, Tensor> logits, AttackNorm norm, double epsilon, Func<long[], Tensor> startNoise, int iterations = 100,
    CancellationToken cancellationToken = default)
{
    /// <summary>The fraction of steps over which the loss must have risen for the step size to stay (the reference's ρ).</summary>
    public const double Rho = 0.75;

    // The reference's checkpoint schedule: the first after 22% of the steps, then 3% sooner each time, at least 6% apart.
    private readonly int firstCheckpoint = Math.Max((int)(0.22 * iterations), 1);
    private readonly int minimumInterval = Math.Max((int)(0.06 * iterations), 1);
    private readonly int intervalDecrease = Math.Max((int)(0.03 * iterations), 1);

    /// <summary>
    /// The untargeted attack (<c>APGDAttack.perturb</c>) with one restart on the loss <paramref name="loss"/>: the
    /// adversarial pixels of the points it fools, the clean pixels of the others.
    /// </summary>
    public Tensor Untargeted(Tensor pixels, Tensor labels, Func<Tensor, Tensor, Tensor> loss)
    {
        using var scope = NewDisposeScope();
        var adversarial = pixels.clone();
        var robust = Predict(pixels).eq(labels);
        Restart(pixels, labels, robust, adversarial, loss);
        return adversarial.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The targeted attack (<c>APGDAttack_targeted.perturb</c>) on the targeted DLR loss, with one restart per target:
    /// the second most likely class, then the third, up to <paramref name="targetClasses"/> + 1, each run on the points
    /// that the earlier targets did not fool.
    /// </summary>
    public Tensor Targeted(Tensor pixels, Tensor labels, int targetClasses)
    {
        using var scope = NewDisposeScope();
        var adversarial = pixels.clone();
        var robust = Predict(pixels).eq(labels);
        Outcome.OverTargets(robust, targetClasses, (toFool, rank) =>
        {
            var targets = Logits(pixels.index_select(0, toFool)).sort(dim: 1).Indices[.., -rank];
            Restart(pixels, labels, robust, adversarial, (output, truth) => ApgdLoss.TargetedDifferenceOfLogitsRatio(output, truth, targets));
        });
        return adversarial.MoveToOuterDisposeScope();
    }

    // One restart on the points still robust: those it fools are marked and their adversarial pixels kept.
    private void Restart(Tensor pixels, Tensor labels, Tensor robust, Tensor adversarial, Func<Tensor, Tensor, Tensor> loss)
    {
        using var scope = NewDisposeScope();
        var toFool = robust.nonzero().squeeze(1);
        if (toFool.numel() == 0)
            return;
        var (stillRobust, found) = SingleRun(pixels.index_select(0, toFool), labels.index_select(0, toFool), loss);
        Outcome.Record(robust, adversarial, toFool, stillRobust.logical_not(), found);
    }

    /// <summary>
    /// One run (<c>attack_single_run</c>): whether each point stayed correctly classified at every step, and the last
    /// misclassified iterate of each (the start for the others).
    /// </summary>
    private (Tensor Robust, Tensor Adversarial) SingleRun(Tensor x, Tensor y, Func<Tensor, Tensor, Tensor> lossOf)
    {
        using var scope = NewDisposeScope();
        using var scalars = new ScalarScope();
        var batch = x.shape[0];
        var perSample = (long[])[batch, .. Enumerable.Repeat(1L, (int)x.dim() - 1)];

        var start = norm == AttackNorm.Linf ? startNoise(x.shape).mul(scalars.Of(2)).sub(scalars.Of(1)) : startNoise(x.shape);
        var xAdv = x.add(Normalize(start).mul(scalars.Of(epsilon)), scalars.Of(1)).clamp(scalars.Of(0.0), scalars.Of(1.0));
        var xBest = xAdv.clone();
        var xBestAdv = xAdv.clone();
        var lossSteps = zeros([iterations, batch], x.dtype, x.device);

        var (grad, logits, loss) = Evaluate(xAdv, y, lossOf);
        var gradBest = grad.clone();
        var robust = logits.argmax(1).eq(y);
        var lossBest = loss.clone();

        var stepSize = full(perSample, scalars.Of(2.0 * epsilon), x.dtype, x.device);
        var xAdvOld = xAdv.clone();
        var interval = firstCheckpoint;
        var sinceCheckpoint = 0;
        var lossBestLastCheck = lossBest.clone();
        var reducedLastCheck = ones_like(lossBest);

        for (var i = 0; i < iterations; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Tensor[] before = [xAdv, xAdvOld, xBest, xBestAdv, grad, gradBest, robust, lossBest, stepSize, lossBestLastCheck, reducedLastCheck];
            using var stepScope = NewDisposeScope();
            var grad2 = xAdv - xAdvOld;
            xAdvOld = xAdv.clone();
            var a = i > 0 ? 0.75 : 1.0;
            xAdv = norm == AttackNorm.Linf ? LinfStep(x, xAdv, grad, grad2, stepSize, a) : L2Step(x, xAdv, grad, grad2, stepSize, a);

            (grad, logits, loss) = Evaluate(xAdv, y, lossOf);
            var predictedRight = logits.argmax(1).eq(y);
            robust = robust.logical_and(predictedRight);
            xBestAdv = where(predictedRight.logical_not().view(perSample), xAdv, xBestAdv);

            lossSteps[i] = loss;
            var improved = loss.gt(lossBest);
            xBest = where(improved.view(perSample), xAdv, xBest);
            gradBest = where(improved.view(perSample), grad, gradBest);
            lossBest = where(improved, loss, lossBest);

            if (++sinceCheckpoint == interval)
            {
                using var stepScalars = new ScalarScope();
                var oscillation = Oscillation(lossSteps, i, interval);
                var noImprovement = reducedLastCheck.negative().add(stepScalars.Of(1.0), stepScalars.Of(1)) * lossBestLastCheck.ge(lossBest).to_type(x.dtype);
                oscillation = maximum(oscillation, noImprovement);
                reducedLastCheck = oscillation.clone();
                lossBestLastCheck = lossBest.clone();
                var halve = oscillation.gt(stepScalars.Of(0)).view(perSample);
                stepSize = where(halve, stepSize / stepScalars.Of(2.0), stepSize);
                xAdv = where(halve, xBest, xAdv);
                grad = where(halve, gradBest, grad);
                interval = Math.Max(interval - intervalDecrease, minimumInterval);
                sinceCheckpoint = 0;
            }

            // The state the next step reads survives this step's scope; what it replaced is freed, so that memory stays
            // flat over the iterations.
            // (Moved by the step's scope, which moves only what it owns: state kept from earlier steps stays where it is.)
            Tensor[] after = [xAdv, xAdvOld, xBest, xBestAdv, grad, gradBest, robust, lossBest, stepSize, lossBestLastCheck, reducedLastCheck];
            stepScope.MoveToOuter(after);
            foreach (var replaced in before.Except(after, ReferenceEqualityComparer.Instance).Cast<Tensor>())
                replaced.Dispose();
        }
        return (robust.MoveToOuterDisposeScope(), xBestAdv.MoveToOuterDisposeScope());
    }

    // x' = Π(x + η·sign(∇)), then the momentum step x + a(x' − x) + (1 − a)(x − x_previous), projected again.
    private Tensor LinfStep(Tensor x, Tensor xAdv, Tensor grad, Tensor grad2, Tensor stepSize, double a)
    {
        using var scalars = new ScalarScope();
        var lower = x - scalars.Of(epsilon);
        var upper = x.add(scalars.Of(epsilon), scalars.Of(1));
        var first = minimum(maximum(xAdv.add(stepSize * grad.sign(), scalars.Of(1)), lower), upper).clamp(scalars.Of(0.0), scalars.Of(1.0));
        return minimum(maximum(xAdv.add((first - xAdv) * scalars.Of(a), scalars.Of(1)).add(grad2 * scalars.Of(1 - a), scalars.Of(1)), lower), upper).clamp(scalars.Of(0.0), scalars.Of(1.0));
    }

    private Tensor L2Step(Tensor x, Tensor xAdv, Tensor grad, Tensor grad2, Tensor stepSize, double a)
    {
        using var scalars = new ScalarScope();
        var first = ProjectL2(x, xAdv.add(stepSize * Normalize(grad), scalars.Of(1)));
        return ProjectL2(x, xAdv.add((first - xAdv) * scalars.Of(a), scalars.Of(1)).add(grad2 * scalars.Of(1 - a), scalars.Of(1)));
    }

    // clamp(x + δ/‖δ‖ · min(ε, ‖δ‖), 0, 1): onto the L2 ball around x, then into [0, 1].
    private Tensor ProjectL2(Tensor x, Tensor candidate)
    {
        using var scalars = new ScalarScope();
        var delta = candidate - x;
        var length = delta.pow(scalars.Of(2)).flatten(1).sum(-1).sqrt().view([delta.shape[0], .. Enumerable.Repeat(1L, (int)delta.dim() - 1)]);
        return x.add(Normalize(delta) * minimum(full_like(x, scalars.Of(epsilon)), length), scalars.Of(1)).clamp(scalars.Of(0.0), scalars.Of(1.0));
    }

    // The reference's normalize: each sample divided by its L∞ or L2 norm (plus 1e-12).
    private Tensor Normalize(Tensor values)
    {
        using var scalars = new ScalarScope();
        var flat = values.flatten(1);
        var length = norm == AttackNorm.Linf ? flat.abs().max(1).values : flat.pow(scalars.Of(2)).sum(-1).sqrt();
        return values / length.view([values.shape[0], .. Enumerable.Repeat(1L, (int)values.dim() - 1)]).add(scalars.Of(1e-12), scalars.Of(1));
    }

    // check_oscillation: 1 where the loss rose in at most ρ·k of the last k steps. Step j − k reads row −1 at the first
    // checkpoint, which wraps, as Python's indexing does, to the last row (zeros until the last step).
    private static Tensor Oscillation(Tensor lossSteps, int j, int k)
    {
        using var scalars = new ScalarScope();
        var rows = (int)lossSteps.shape[0];
        var rises = zeros_like(lossSteps[0]);
        for (var back = 0; back < k; back++)
            rises = rises.add(lossSteps[j - back].gt(lossSteps[(j - back - 1 + rows) % rows]).to_type(rises.dtype), scalars.Of(1));
        return rises.le(scalars.Of(k * Rho)).to_type(rises.dtype);
    }

    private (Tensor Gradient, Tensor Logits, Tensor Loss) Evaluate(Tensor pixels, Tensor labels, Func<Tensor, Tensor, Tensor> lossOf) =>
        inference.InputGradient(pixels, logits, output => lossOf(output, labels));

    private Tensor Logits(Tensor pixels)
    {
        using var noGrad = no_grad();
        return logits(pixels);
    }

    private Tensor Predict(Tensor pixels) => Logits(pixels).argmax(1);
}

using NfmGen.Inference;
using NfmGen.Network;
using static TorchSharp.torch;

namespace NfmGen.Robustness.AutoAttack;

/// <summary>
/// FAB-T, the targeted Fast Adaptive Boundary attack (Croce and Hein, ICML 2020), statement by statement as
/// fra31/auto-attack's <c>FABAttack_PT</c> runs it in AutoAttack (one restart, so no random start; 100 iterations;
/// α_max 0.1, η 1.05, β 0.9): it linearises the difference between the target's and the true class's logits, projects
/// both the current point and the clean one onto that hyperplane inside [0, 1] (<see cref="FabProjections"/>), steps to
/// a mix of the two with overshoot, and, once across, keeps the closest adversarial point and steps back towards the
/// clean one. A point counts as fooled only if that point lies within ε. Pixels are in [0, 1]; <paramref name="logits"/>
/// maps them to the model's outputs.
/// </summary>
/// <param name="inference">The model's open input-gradient scope.</param>
/// <param name="logits">Pixels to logits.</param>
/// <param name="norm">The norm FAB minimises and ε bounds.</param>
/// <param name="epsilon">The budget, in pixel units.</param>
/// <param name="iterations">Iterations per target (100 in AutoAttack).</param>
/// <param name="cancellationToken">Checked before every iteration.</param>
internal sealed class FabTargeted(InferenceScope inference, Func<Tensor, Tensor> logits, AttackNorm norm, double epsilon, int iterations = 100,
    CancellationToken cancellationToken = default)
{
    private const double AlphaMax = 0.1, Overshoot = 1.05, Backstep = 0.9;

    /// <summary>
    /// The attack against the 2nd, 3rd, ... most likely class in turn (<c>perturb</c> with <c>targeted</c>), each on the
    /// points the earlier targets did not fool: their adversarial pixels, the clean pixels of the others.
    /// </summary>
    public Tensor Attack(Tensor pixels, Tensor labels, int targetClasses)
    {
        using var scope = NewDisposeScope();
        var adversarial = pixels.clone();
        var robust = Predict(pixels).eq(labels);
        Outcome.OverTargets(robust, targetClasses, (toFool, rank) =>
        {
            using var scalars = new ScalarScope();
            var (x, y) = (pixels.index_select(0, toFool), labels.index_select(0, toFool));
            var found = SingleRun(x, y, rank);
            // Only a point within ε counts (FAB minimises the distance, and may cross farther out).
            Outcome.Record(robust, adversarial, toFool, Predict(found).ne(y).logical_and(Norm(x - found).le(scalars.Of(epsilon))), found);
        });
        return adversarial.MoveToOuterDisposeScope();
    }

    // attack_single_run, targeted at the rank-th most likely class: the closest adversarial point found for each point
    // the model classifies correctly, the point itself otherwise.
    private Tensor SingleRun(Tensor x, Tensor y, int rank)
    {
        using var scope = NewDisposeScope();
        using var scalars = new ScalarScope();
        var output = Logits(x);
        var correct = output.argmax(1).eq(y).nonzero().squeeze(1);
        var result = x.clone();
        if (correct.numel() == 0)
            return result.MoveToOuterDisposeScope();
        var targets = output.sort(dim: -1).Indices[.., -rank].index_select(0, correct);
        var clean = x.index_select(0, correct);
        var truth = y.index_select(0, correct);
        var batch = clean.shape[0];
        var perSample = (long[])[batch, .. Enumerable.Repeat(1L, (int)clean.dim() - 1)];

        var best = clean.clone();
        var bestDistance = full(batch, scalars.Of(1e10), clean.dtype, clean.device);
        var current = clean.clone();
        var cleanFlat = clean.reshape(batch, -1);
        for (var i = 0; i < iterations; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var step = NewDisposeScope();
            using var stepScalars = new ScalarScope();
            // The linearised boundary between target and truth: −(z_y − z_t) and its gradient.
            var (gradient, _, difference) = inference.InputGradient(current, logits, z =>
                -(z.gather(1, truth.unsqueeze(1)).squeeze(1) - z.gather(1, targets.unsqueeze(1)).squeeze(1)));
            var w = gradient.reshape(batch, -1);
            var b = (-difference).add((gradient * current).reshape(batch, -1).sum(-1), stepScalars.Of(1));
            var projected = Project(cat([current.reshape(batch, -1), cleanFlat], 0), cat([w, w], 0), cat([b, b], 0));
            var fromCurrent = projected[..(int)batch].reshape(current.shape);
            var fromClean = projected[(int)batch..].reshape(current.shape);
            var lengths = maximum(Lengths(projected).view([2 * batch, .. perSample[1..]]), full([2 * batch, .. perSample[1..]], stepScalars.Of(1e-8), clean.dtype, clean.device));
            var (a1, a2) = (lengths[..(int)batch], lengths[(int)batch..]);
            var alpha = minimum(maximum(a1 / a1.add(a2, stepScalars.Of(1)), zeros_like(a1)), full_like(a1, stepScalars.Of(AlphaMax)));
            var next = (current.add(fromCurrent * stepScalars.Of(Overshoot), stepScalars.Of(1)) * alpha.negative().add(stepScalars.Of(1), stepScalars.Of(1)))
                .add(clean.add(fromClean * stepScalars.Of(Overshoot), stepScalars.Of(1)) * alpha, stepScalars.Of(1)).clamp(stepScalars.Of(0.0), stepScalars.Of(1.0));

            var across = Predict(next).ne(truth);
            if (across.any().item<bool>())
            {
                var distance = Norm(next - clean);
                var closer = across.logical_and(distance.lt(bestDistance));
                best.copy_(where(closer.view(perSample), next, best));
                bestDistance.copy_(where(closer, distance, bestDistance));
                next = where(across.view(perSample), clean.add((next - clean) * stepScalars.Of(Backstep), stepScalars.Of(1)), next);
            }
            // In place: the state outlives each step's scope without piling up.
            current.copy_(next);
        }
        var succeeded = bestDistance.lt(scalars.Of(1e10)).nonzero().squeeze(1);
        result.index_copy_(0, correct.index_select(0, succeeded), best.index_select(0, succeeded));
        return result.MoveToOuterDisposeScope();
    }

    private Tensor Project(Tensor points, Tensor hyperplane, Tensor offset) =>
        norm == AttackNorm.Linf ? FabProjections.Linf(points, hyperplane, offset) : FabProjections.L2(points, hyperplane, offset);

    // The steps' lengths, row by row: max |d| or ‖d‖₂.
    private Tensor Lengths(Tensor rows)
    {
        using var scalars = new ScalarScope();
        return norm == AttackNorm.Linf ? rows.abs().max(1).values : rows.pow(scalars.Of(2)).sum(1).sqrt();
    }

    // A batch's distances from its clean points, in the attack's norm.
    private Tensor Norm(Tensor change) => Lengths(change.reshape(change.shape[0], -1));

    private Tensor Logits(Tensor pixels)
    {
        using var noGrad = no_grad();
        return logits(pixels);
    }

    private Tensor Predict(Tensor pixels) => Logits(pixels).argmax(1);
}

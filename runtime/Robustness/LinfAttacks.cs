using NfmGen.Data;
using NfmGen.Inference;
using NfmGen.Network;
using NfmGen.Randomness;
using TorchSharp;
using static TorchSharp.torch;

namespace NfmGen.Robustness;

/// <summary>
/// White-box L∞ attacks that raise the cross-entropy of the true labels: FGSM (Goodfellow et al., 2015) and PGD (Madry
/// et al., 2018). They act on the pixel-space image x in [0, 1] and feed <c>normalization.Normalize(x)</c> to the
/// model, so ε is in pixel units (8/255 = eight grey levels) whatever the normalisation. The result always lies in
/// the ε-ball around x and in [0, 1]. During an attack the model is in eval mode with parameter gradients off (both
/// restored afterwards); only the input gradient is computed, and no parameter's <c>.grad</c> changes.
/// </summary>
internal static class LinfAttacks
{
    /// <summary>FGSM: one step of size ε along the sign of the input gradient, <c>clip(x + ε·sign(∇x), 0, 1)</c>.</summary>
    /// <param name="model">The classifier, returning logits <c>[B, classes]</c>.</param>
    /// <param name="normalization">Maps pixels to the model's inputs.</param>
    /// <param name="pixels">Float pixels in [0, 1], <c>[B, C, H, W]</c>, on the model's device.</param>
    /// <param name="labels">The true labels, int64 <c>[B]</c>, on the same device.</param>
    /// <param name="epsilon">The L∞ budget in pixel units, in [0, 1].</param>
    /// <returns>The adversarial pixels, a new detached tensor like <paramref name="pixels"/>.</returns>
    public static Tensor Fgsm(nn.Module<Tensor, Tensor> model, Normalization normalization, Tensor pixels, Tensor labels, double epsilon)
    {
        RequireEpsilon(epsilon);
        using var inference = InferenceScope.WithInputGradients(model);
        using var scope = NewDisposeScope();
        using var scalars = new ScalarScope();
        var step = InputGradient(inference, model, normalization, pixels, labels).sign_().mul_(scalars.Of(epsilon));
        return Project(pixels.add(step, scalars.Of(1)), pixels, epsilon).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// PGD: from x (or a uniform random point of the ε-ball), <see cref="PgdOptions.Steps"/> steps
    /// <c>x' ← Π(x' + α·sign(∇x'))</c>, where Π clips to the ε-ball around x and to [0, 1].
    /// </summary>
    /// <param name="model">The classifier, returning logits <c>[B, classes]</c>.</param>
    /// <param name="normalization">Maps pixels to the model's inputs.</param>
    /// <param name="pixels">Float pixels in [0, 1], <c>[B, C, H, W]</c>, on the model's device.</param>
    /// <param name="labels">The true labels, int64 <c>[B]</c>, on the same device.</param>
    /// <param name="epsilon">The L∞ budget in pixel units, in [0, 1].</param>
    /// <param name="options">Steps, step size α and start; null for <see cref="PgdOptions.Default"/>.</param>
    /// <param name="generator">The source of the random start, on the model's device; needed only with a random start.</param>
    /// <returns>The adversarial pixels, a new detached tensor like <paramref name="pixels"/>.</returns>
    /// <exception cref="ArgumentException">A random start is asked for without a generator, or ε is out of range.</exception>
    public static Tensor Pgd(nn.Module<Tensor, Tensor> model, Normalization normalization, Tensor pixels, Tensor labels, double epsilon,
        PgdOptions? options = null, Generator? generator = null)
    {
        RequireEpsilon(epsilon);
        options ??= PgdOptions.Default;
        if (options.RandomStart && generator is null)
            throw new ArgumentException("PGD with a random start needs a generator (or pass options with randomStart: false).", nameof(generator));
        double stepSize = options.StepSizeFor(epsilon);

        using var inference = InferenceScope.WithInputGradients(model);
        using var scope = NewDisposeScope();
        using var scalars = new ScalarScope();
        var adversarial = options.RandomStart
            ? Project(DeviceRandom.Rand(pixels.shape, pixels.dtype, pixels.device, generator!).mul_(scalars.Of(2 * epsilon)).sub_(scalars.Of(epsilon)).add_(pixels, scalars.Of(1)), pixels, epsilon)
            : pixels.clone();
        for (int step = 0; step < options.Steps; step++)
        {
            using var stepScope = NewDisposeScope();
            var next = InputGradient(inference, model, normalization, adversarial, labels).sign_().mul_(scalars.Of(stepSize)).add_(adversarial, scalars.Of(1));
            var previous = adversarial;
            adversarial = Project(next, pixels, epsilon).MoveToOuterDisposeScope();
            previous.Dispose(); // keeps memory flat over many steps
        }
        return adversarial.MoveToOuterDisposeScope();
    }

    /// <summary>The gradient of the summed cross-entropy with respect to the pixels (the sum keeps per-sample gradients unscaled).</summary>
    private static Tensor InputGradient(InferenceScope inference, nn.Module<Tensor, Tensor> model, Normalization normalization, Tensor pixels, Tensor labels) =>
        inference.InputGradient(pixels, input => nn.functional.cross_entropy(model.call(normalization.Normalize(input)), labels, reduction: nn.Reduction.Sum));

    /// <summary>Clips to the ε-ball around <paramref name="pixels"/> and to [0, 1], in place.</summary>
    private static Tensor Project(Tensor candidate, Tensor pixels, double epsilon)
    {
        using var scope = NewDisposeScope();
        using var scalars = new ScalarScope();
        var lower = pixels.sub(scalars.Of(epsilon)).clamp_min_(scalars.Of(0));
        var upper = pixels.add(scalars.Of(epsilon), scalars.Of(1)).clamp_max_(scalars.Of(1));
        return candidate.clamp_(lower, upper);
    }

    private static void RequireEpsilon(double epsilon)
    {
        if (!(epsilon >= 0 && epsilon <= 1))
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon (an L∞ budget in pixel units) must be in [0, 1], e.g. 8/255.");
    }
}

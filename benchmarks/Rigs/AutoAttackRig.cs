using NfmGen.Data;
using NfmGen.Inference;
using NfmGen.Models;
using NfmGen.Randomness;
using NfmGen.Robustness.AutoAttack;
using TorchSharp;
using static TorchSharp.torch;

namespace NfmGen.Benchmarks.Rigs;

/// <summary>
/// AutoAttack's units of work on PreActResNet-18 with CIFAR-shaped pixels: one APGD run of 100 steps (APGD-CE, or one
/// target of APGD-T: the same passes), one FAB-T target of 100 iterations, 100 Square queries, and the clean forward the
/// cascade starts with, each on a batch. Labels are the model's own predictions, so every point is attacked.
/// </summary>
public sealed class AutoAttackRig : IDisposable
{
    private readonly PreActResNet18 model;
    private readonly Tensor pixels;
    private readonly Tensor labels;
    private readonly Generator generator = new(7);

    /// <param name="width">The network's width (16 is the benchmarks' size, 64 the paper's).</param>
    /// <param name="batch">Images per batch.</param>
    public AutoAttackRig(int width, int batch)
    {
        manual_seed(0);
        model = new PreActResNet18(width: width);
        model.eval();
        Batch = batch;
        pixels = rand(batch, 3, 32, 32);
        using (no_grad())
            labels = model.call(Normalization.Cifar10.Normalize(pixels)).argmax(1);
    }

    /// <summary>Images per batch.</summary>
    public int Batch { get; }

    /// <summary>One untargeted APGD run on the cross-entropy, 100 steps, on the whole batch.</summary>
    public void ApgdRun()
    {
        using var scope = NewDisposeScope();
        using var inference = InferenceScope.WithInputGradients(model);
        var apgd = new Apgd(inference, input => model.call(Normalization.Cifar10.Normalize(input)), AttackNorm.Linf, 8.0 / 255,
            shape => DeviceRandom.Rand(shape, pixels.dtype, pixels.device, generator), AutoAttackCascade.Iterations);
        apgd.Untargeted(pixels, labels, ApgdLoss.CrossEntropy);
    }

    /// <summary>One FAB-T run against one target, 100 iterations (AutoAttack runs up to 9), on the whole batch.</summary>
    public void FabRun()
    {
        using var scope = NewDisposeScope();
        using var inference = InferenceScope.WithInputGradients(model);
        new FabTargeted(inference, input => model.call(Normalization.Cifar10.Normalize(input)), AttackNorm.Linf, 8.0 / 255, AutoAttackCascade.Iterations)
            .Attack(pixels, labels, targetClasses: 1);
    }

    /// <summary><see cref="SquareQueries"/> queries of the Square Attack on the whole batch (AutoAttack's run is 5,000).</summary>
    public void SquareQueries100()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        // ε so small that no point falls, so that every query is spent on the whole batch.
        new SquareAttack(input => model.call(Normalization.Cifar10.Normalize(input)), AttackNorm.Linf, 1e-6,
            shape => DeviceRandom.Rand(shape, pixels.dtype, pixels.device, generator), SquareQueries).Attack(pixels, labels);
    }

    /// <summary>The queries <see cref="SquareQueries100"/> runs.</summary>
    public const int SquareQueries = 100;

    /// <summary>The clean forward pass on the batch.</summary>
    public void CleanForward()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        model.call(Normalization.Cifar10.Normalize(pixels));
    }

    public void Dispose()
    {
        model.Dispose();
        pixels.Dispose();
        labels.Dispose();
        generator.Dispose();
    }
}

using NfmGen.Data;
using NfmGen.Reports;
using TorchSharp;
using static TorchSharp.torch;

namespace NfmGen.Robustness;

/// <summary>
/// The robustness row of a classifier of points (the toy two-moons and circles data): clean accuracy, then accuracy
/// under additive Gaussian noise on the points, <c>x + σ·n</c>, as the paper's toy experiment measures it. Pixel
/// perturbations (salt and pepper, clipping, attacks in pixel units) have no meaning for points and are refused.
/// </summary>
public static class FeatureRobustnessEvaluator
{
    /// <summary>Evaluates <paramref name="model"/> (in eval mode, restored afterwards) on <paramref name="testSet"/>.</summary>
    /// <param name="name">The row's name.</param>
    /// <param name="model">The classifier, on <paramref name="device"/>.</param>
    /// <param name="testSet">The clean test points and labels.</param>
    /// <param name="specs">White-noise specs only; each level is a σ in the points' own units.</param>
    /// <param name="device">Where batches and noise are computed.</param>
    /// <param name="seed">The seed of every level's generator: a level's number does not depend on the other levels.</param>
    /// <param name="batchSize">Points per batch, &gt;= 1.</param>
    /// <exception cref="ArgumentException">A spec other than white noise, two specs for one column, or an empty test set.</exception>
    public static ReportRow Evaluate(string name, nn.Module<Tensor, Tensor> model, FeatureDataset testSet, IReadOnlyList<PerturbationSpec> specs,
        Device device, long seed, int batchSize = 256)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(testSet);
        ArgumentNullException.ThrowIfNull(specs);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (testSet.Count == 0)
            throw new ArgumentException($"{testSet.Name} has no points to evaluate");
        if (specs.FirstOrDefault(spec => spec.Kind != PerturbationKind.WhiteNoise) is { } pixelOnly)
            throw new ArgumentException($"{pixelOnly} perturbs pixels, and {testSet.Name} holds points: only white noise (white:σ,...) applies to points");
        if (PerturbationSpec.ColumnClash(specs) is { } clash)
            throw new ArgumentException(clash);

        var wasTraining = model.training;
        model.eval();
        try
        {
            var clean = Accuracy(model, testSet, batchSize, device, inputs => inputs);
            var results = new List<PerturbationResult>();
            foreach (var spec in specs)
            {
                foreach (var sigma in spec.Levels)
                {
                    using var generator = new Generator(unchecked((ulong)seed), CPU);
                    results.Add(spec.Result(sigma, Accuracy(model, testSet, batchSize, device, inputs => WhiteNoise.AddToInputs(inputs, sigma, generator))));
                }
            }
            return new ReportRow(name, clean, results);
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    private static double Accuracy(nn.Module<Tensor, Tensor> model, FeatureDataset data, int batchSize, Device device, Func<Tensor, Tensor> perturb)
    {
        using var noGrad = no_grad();
        long correct = 0;
        for (long start = 0; start < data.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var length = Math.Min(batchSize, data.Count - start);
            var labels = data.Labels.narrow(0, start, length).to(device);
            var logits = model.call(perturb(data.Features.narrow(0, start, length).to(device)));
            correct += logits.argmax(1).eq(labels).sum().item<long>();
        }
        return (double)correct / data.Count;
    }
}

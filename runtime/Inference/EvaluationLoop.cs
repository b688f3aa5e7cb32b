using NfmGen.Data;
using NfmGen.Network;
using TorchSharp;
using static TorchSharp.torch;

namespace NfmGen.Inference;

/// <summary>One batch an evaluation reads: its inputs (uint8 pixels, which become [0, 1], or inputs as the network takes them), labels and skipped files.</summary>
internal readonly record struct EvaluationBatch(Tensor Inputs, Tensor Labels, int Skipped = 0);

/// <summary>What an evaluation counted: samples, hits, the summed loss (when asked for) and the bad files skipped.</summary>
internal readonly record struct EvaluationTotals(long Samples, long Correct, double LossSum, int Skipped)
{
    /// <summary>The fraction classified correctly; 0 without samples.</summary>
    public double Accuracy => Samples == 0 ? 0 : (double)Correct / Samples;

    /// <summary>The mean loss per sample.</summary>
    public double Loss => LossSum / Samples;
}

/// <summary>
/// The one evaluation loop: clean accuracy and loss, every perturbation and corruption pass go through it, inside the
/// caller's <see cref="InferenceScope"/> (an attack inside <c>toInputs</c> opens its own, with input gradients). One
/// dispose scope per batch; the labels of the whole pass are checked against the model's outputs at the first batch,
/// so that the check costs no extra forward pass.
/// </summary>
internal static class EvaluationLoop
{
    /// <summary>The number of batches of <paramref name="batchSize"/> that <paramref name="count"/> samples make.</summary>
    public static long BatchCount(long count, int batchSize) => (count + batchSize - 1) / batchSize;

    /// <summary>Runs <paramref name="model"/> over <paramref name="batches"/>, each batch's inputs through <paramref name="toInputs"/>(inputs, labels).</summary>
    /// <param name="model">The classifier, returning logits <c>[B, classes]</c>.</param>
    /// <param name="batches">The batches, owned by their producer (which may free one when asked for the next).</param>
    /// <param name="device">Where the batches are moved and the model runs.</param>
    /// <param name="toInputs">What the model is given: the inputs as they are, laid out, normalised or perturbed.</param>
    /// <param name="allLabels">Every label of the pass and where they come from, checked at the first batch; null for none.</param>
    /// <param name="sumLoss">Whether to sum the cross-entropy too (one read per batch either way).</param>
    /// <param name="afterBatch">Told after each batch (progress).</param>
    /// <param name="cancellationToken">Stops the loop between batches.</param>
    /// <exception cref="InvalidDataException">A label is not a class of the model; the message names its source.</exception>
    public static EvaluationTotals Run(nn.Module<Tensor, Tensor> model, IEnumerable<EvaluationBatch> batches, Device device, Func<Tensor, Tensor, Tensor> toInputs,
        (Tensor Labels, string Source)? allLabels = null, bool sumLoss = false, Action? afterBatch = null, CancellationToken cancellationToken = default)
    {
        long samples = 0, correct = 0;
        double lossSum = 0;
        var skipped = 0;
        foreach (var batch in batches)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            using var scalars = new ScalarScope();
            var inputs = batch.Inputs.dtype == ScalarType.Byte ? batch.Inputs.to(device).to_type(ScalarType.Float32).div_(scalars.Of(255)) : batch.Inputs.to(device);
            var labels = batch.Labels.to(device);
            var logits = model.call(toInputs(inputs, labels));
            if (samples == 0 && allLabels is var (all, source) && logits.dim() == 2)
                ClassLabels.EnsureBelow(all, (int)logits.shape[1], source);
            var hits = logits.argmax(1).eq(labels).sum();
            if (sumLoss)
            {
                var totals = stack([nn.functional.cross_entropy(logits, labels, reduction: nn.Reduction.Sum), hits.to(ScalarType.Float32)]).cpu();
                lossSum += totals[0].item<float>();
                correct += (long)totals[1].item<float>();
            }
            else
            {
                correct += hits.item<long>();
            }
            samples += labels.shape[0];
            skipped += batch.Skipped;
            afterBatch?.Invoke();
        }
        return new EvaluationTotals(samples, correct, lossSum, skipped);
    }

    /// <summary>The batches of one epoch of <paramref name="loader"/>, in order.</summary>
    public static IEnumerable<EvaluationBatch> Batches(BatchLoader loader, CancellationToken cancellationToken = default)
    {
        foreach (var batch in loader.Epoch(0, cancellationToken: cancellationToken))
            yield return new EvaluationBatch(batch.Inputs, batch.Labels, batch.Skipped);
    }

    /// <summary>
    /// Batches of <paramref name="batchSize"/> cut from tensors held in memory: views, freed as the consumer moves on
    /// (they belong to whatever dispose scope is open, which frees them again harmlessly).
    /// </summary>
    public static IEnumerable<EvaluationBatch> Slices(Tensor inputs, Tensor labels, int batchSize)
    {
        long count = inputs.shape[0];
        for (long start = 0; start < count; start += batchSize)
        {
            long length = Math.Min(batchSize, count - start);
            using var batchInputs = inputs.narrow(0, start, length);
            using var batchLabels = labels.narrow(0, start, length);
            yield return new EvaluationBatch(batchInputs, batchLabels);
        }
    }
}

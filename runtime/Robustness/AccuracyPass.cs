using NfmGen.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace NfmGen.Robustness;

/// <summary>
/// One pass over uint8 images in order: each batch becomes float pixels in [0, 1] on the device (exactly as
/// <see cref="Data.Normalization.Normalize"/> scales them), then network inputs, and the correct predictions are counted.
/// </summary>
internal static class AccuracyPass
{
    /// <summary>The number of batches a pass over <paramref name="count"/> images takes.</summary>
    public static long Batches(long count, int batchSize) => (count + batchSize - 1) / batchSize;

    /// <summary>
    /// The fraction of <paramref name="images"/> (uint8 <c>[N, C, H, W]</c>, any device) whose prediction on
    /// <c>toInputs(pixels, labels)</c> is the label, taken in slices of <paramref name="batchSize"/>. See the streaming overload.
    /// </summary>
    /// <exception cref="InvalidDataException">A label is outside the model's classes (the width of its first batch's logits).</exception>
    public static double Run(nn.Module<Tensor, Tensor> model, Tensor images, Tensor labels, string labelSource, int batchSize, Device device,
        Func<Tensor, Tensor, Tensor> toInputs, Action afterBatch, CancellationToken cancellationToken) =>
        Run(model, Slices(images, labels, batchSize), labels, labelSource, device, toInputs, afterBatch, cancellationToken);

    /// <summary>
    /// The fraction of the images of <paramref name="batches"/> (uint8 pixels <c>[B, C, H, W]</c> and their labels, any
    /// device, owned by the producer, which may free them when asked for the next) whose prediction on
    /// <c>toInputs(pixels, labels)</c> is the label, one dispose scope per batch, inside the caller's
    /// <see cref="Inference.InferenceScope"/> (an attack inside <paramref name="toInputs"/> opens its own, with input gradients).
    /// <paramref name="allLabels"/> (every label of the pass) are checked against the model's classes at the first batch;
    /// <paramref name="labelSource"/> says where they come from, for the error when one is not a class of the model.
    /// </summary>
    /// <exception cref="InvalidDataException">A label is outside the model's classes (the width of its first batch's logits).</exception>
    public static double Run(nn.Module<Tensor, Tensor> model, IEnumerable<(Tensor Pixels, Tensor Labels)> batches, Tensor allLabels, string labelSource,
        Device device, Func<Tensor, Tensor, Tensor> toInputs, Action afterBatch, CancellationToken cancellationToken)
    {
        long count = 0, correct = 0;
        foreach (var (stored, storedLabels) in batches)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            // uint8 pixels become [0, 1]; other inputs (points) are taken as they are.
            var inputs = stored.dtype == ScalarType.Byte ? stored.to(device).to_type(ScalarType.Float32).div_(255) : stored.to(device);
            var batchLabels = storedLabels.to(device);
            var logits = model.call(toInputs(inputs, batchLabels));
            if (count == 0 && logits.dim() == 2)
                ClassLabels.EnsureBelow(allLabels, (int)logits.shape[1], labelSource);
            correct += logits.argmax(1).eq(batchLabels).sum().item<long>();
            count += batchLabels.shape[0];
            afterBatch();
        }
        return count == 0 ? 0 : (double)correct / count;
    }

    // Views of the tensors, freed as the consumer moves on (they belong to whatever dispose scope is open, which frees them again harmlessly).
    private static IEnumerable<(Tensor Pixels, Tensor Labels)> Slices(Tensor images, Tensor labels, int batchSize)
    {
        long count = images.shape[0];
        for (long start = 0; start < count; start += batchSize)
        {
            long length = Math.Min(batchSize, count - start);
            using var pixels = images.narrow(0, start, length);
            using var batchLabels = labels.narrow(0, start, length);
            yield return (pixels, batchLabels);
        }
    }
}

using static TorchSharp.torch;

namespace NfmGen.Data;

/// <summary>
/// One batch from a <see cref="BatchLoader"/>, on the loader's device. Its tensors belong to no dispose scope:
/// the loader disposes the batch when the consumer moves to the next one or leaves the loop (as TorchSharp's own
/// DataLoader does), so a consumer neither disposes it nor keeps it; <c>clone()</c> what must outlive the step.
/// </summary>
public sealed class Batch : IDisposable
{
    internal Batch(Tensor inputs, Tensor labels, Tensor indices, int epoch, int index, int skipped = 0)
    {
        Skipped = skipped;
        Inputs = inputs;
        Labels = labels;
        Indices = indices;
        Epoch = epoch;
        Index = index;
    }

    /// <summary>The network inputs: normalised float32 images <c>[B, C, H, W]</c>, or features <c>[B, D]</c>.</summary>
    public Tensor Inputs { get; }

    /// <summary>The labels, int64 <c>[B]</c>.</summary>
    public Tensor Labels { get; }

    /// <summary>The dataset index of each sample, int64 <c>[B]</c>.</summary>
    public Tensor Indices { get; }

    /// <summary>The epoch this batch belongs to.</summary>
    public int Epoch { get; }

    /// <summary>The batch's position in its epoch, from 0.</summary>
    public int Index { get; }

    /// <summary>How many of the batch's samples were left out as bad image files (only with an image folder's <c>SkipBadImages</c>).</summary>
    public int Skipped { get; }

    /// <summary>The number of samples B (the last batch of an epoch may be smaller unless the loader drops it).</summary>
    public long Size => Labels.shape[0];

    /// <summary>Frees the batch's tensors; the loader calls it, and calling it again does nothing.</summary>
    public void Dispose()
    {
        Inputs.Dispose();
        Labels.Dispose();
        Indices.Dispose();
    }
}

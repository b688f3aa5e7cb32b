using static TorchSharp.torch;

namespace NfmGen.Data;

/// <summary>
/// One batch from a <see cref="BatchLoader"/>, on the loader's device. Its tensors belong to no dispose scope:
/// the loader disposes the batch when the consumer moves to the next one or leaves the loop (as TorchSharp's own
/// DataLoader does), so a consumer neither disposes it nor keeps it; <c>clone()</c> what must outlive the step.
/// A batch kept past that point (<c>loader.Epoch(0).First()</c>, <c>.ToList()</c>) is disposed: its tensors then
/// throw <see cref="ObjectDisposedException"/> saying so.
/// </summary>
internal sealed class Batch : IDisposable
{
    private readonly Tensor inputs;
    private readonly Tensor labels;
    private readonly Tensor indices;
    private readonly Action? released;
    private int disposed;

    internal Batch(Tensor inputs, Tensor labels, Tensor indices, int epoch, int index, int skipped = 0, Action? released = null)
    {
        Skipped = skipped;
        this.inputs = inputs;
        this.labels = labels;
        this.indices = indices;
        this.released = released;
        Epoch = epoch;
        Index = index;
    }

    /// <summary>The network inputs: normalised float32 images <c>[B, C, H, W]</c>, or features <c>[B, D]</c>.</summary>
    /// <exception cref="ObjectDisposedException">The loader has disposed the batch (the consumer moved on).</exception>
    public Tensor Inputs => Alive(inputs);

    /// <summary>The labels, int64 <c>[B]</c>.</summary>
    /// <exception cref="ObjectDisposedException">The loader has disposed the batch (the consumer moved on).</exception>
    public Tensor Labels => Alive(labels);

    /// <summary>The dataset index of each sample, int64 <c>[B]</c>.</summary>
    /// <exception cref="ObjectDisposedException">The loader has disposed the batch (the consumer moved on).</exception>
    public Tensor Indices => Alive(indices);

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
        if (Interlocked.Exchange(ref disposed, 1) != 0)
            return;
        inputs.Dispose();
        labels.Dispose();
        indices.Dispose();
        released?.Invoke();
    }

    private Tensor Alive(Tensor tensor)
    {
        if (Volatile.Read(ref disposed) != 0)
            throw new ObjectDisposedException(nameof(Batch),
                $"batch {Index} of epoch {Epoch} was disposed by its BatchLoader when the enumeration moved to the next batch or ended "
                + "(a batch kept past its loop iteration, e.g. by First() or ToList(), is freed); clone() what must outlive the step");
        return tensor;
    }
}

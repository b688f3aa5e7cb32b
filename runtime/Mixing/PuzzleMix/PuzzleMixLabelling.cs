using static System.FormattableString;
using static TorchSharp.torch;

namespace NfmGen.Mixing.PuzzleMix;

/// <summary>
/// The graph-cut step of Puzzle Mix for a batch: each sample's blocks labelled by α-β swap moves on its
/// <see cref="PuzzleMixCosts"/> (the reference's <c>gco.cut_grid_graph(..., algorithm='swap')</c>), samples in
/// parallel, and the labels turned into masks.
/// </summary>
internal static class PuzzleMixLabelling
{
    /// <summary>
    /// Labels every sample's blocks, on at most <paramref name="parallelism"/> threads that each take the next
    /// unlabelled sample; the result does not depend on the thread count. Returns the labels (N × blocks × blocks, row
    /// by row), label l meaning the share 1 − l / (n − 1) of the own image.
    /// </summary>
    /// <param name="costs">The batch's terms.</param>
    /// <param name="parallelism">The most threads to use, ≥ 1.</param>
    /// <param name="sampleLabelled">Called on the labelling thread after each sample, with its index (for progress and tests).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="parallelism"/> is below 1.</exception>
    internal static int[] Label(PuzzleMixCosts costs, int parallelism, Action<int>? sampleLabelled = null)
    {
        ArgumentNullException.ThrowIfNull(costs);
        if (parallelism < 1)
            throw new ArgumentOutOfRangeException(nameof(parallelism), parallelism, Invariant($"parallelism must be >= 1 (was {parallelism})."));
        var blocksSquared = costs.Grid.BlockCount * costs.Grid.BlockCount;
        var labels = new int[costs.Samples * blocksSquared];
        var workers = Math.Min(parallelism, costs.Samples);
        var next = -1;
        void Work()
        {
            var labeller = PuzzleMixLabeller.Rent();
            try
            {
                int sample;
                while ((sample = Interlocked.Increment(ref next)) < costs.Samples)
                {
                    labeller.Label(costs, sample, labels.AsSpan(sample * blocksSquared, blocksSquared));
                    sampleLabelled?.Invoke(sample);
                }
            }
            finally
            {
                PuzzleMixLabeller.Return(labeller);
            }
        }

        if (workers <= 1)
            Work();
        else
            Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, _ => Work());
        return labels;
    }

    /// <summary>
    /// The masks of the labels, (N, 1, blocks, blocks) float32 on <paramref name="device"/>: label l becomes
    /// 1 − l / (n − 1) (the reference's <c>1.0 - labels / (n_labels - 1)</c>, in float64, then float32), the share
    /// of the own image in that block.
    /// </summary>
    /// <exception cref="ArgumentException">The label count does not fit the grid, or a label is out of range.</exception>
    internal static Tensor Masks(ReadOnlySpan<int> labels, int samples, int blockCount, int labelCount, Device device)
    {
        var blocksSquared = blockCount * blockCount;
        if (samples < 1 || blockCount < 1 || labels.Length != samples * blocksSquared)
            throw new ArgumentException(
                Invariant($"labels must hold samples x blocks x blocks = {samples} x {blockCount} x {blockCount} values (held {labels.Length})."), nameof(labels));
        var values = new float[labels.Length];
        for (var index = 0; index < labels.Length; index++)
        {
            var label = labels[index];
            if ((uint)label >= (uint)labelCount)
                throw new ArgumentException(Invariant($"Labels must be in [0, {labelCount}) (index {index} was {label})."), nameof(labels));
            values[index] = (float)(1.0 - (double)label / (labelCount - 1));
        }
        return tensor(values, [samples, 1, blockCount, blockCount], ScalarType.Float32, device);
    }
}

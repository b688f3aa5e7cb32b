using System.Collections.Concurrent;
using NfmGen.Network;
using static System.FormattableString;
using static TorchSharp.torch;

namespace NfmGen.Mixing.PuzzleMix;

/// <summary>
/// Puzzle Mix's transport: the reference's batched heuristic (<c>mask_transport</c>, <c>transport_image</c>), not
/// exact optimal transport. Each block of an image is sent towards a block where the mask keeps the image, trading
/// the distance moved (weighted by <c>t_eps</c>) against the block's saliency; blocks that want the same destination
/// are resolved in rounds, and a destination that no block wins becomes 0 (the mean colour of normalised images).
/// </summary>
internal static class PuzzleMixTransport
{
    // One table per width, kept for the process: at most 15 of them (widths 2..16), 256 KB for the largest.
    private static readonly ConcurrentDictionary<int, float[]> CostMatrices = new();

    /// <summary>
    /// The cost of moving block i to block j on a grid of <paramref name="width"/> × <paramref name="width"/> blocks
    /// (numbered row by row): the squared distance over (width − 1)², in float32 (the reference's <c>cost_matrix</c>,
    /// written for widths 2, 4, 8 and 16, here for any width from 2 to <see cref="PuzzleMixGrid.MaxTransportBlockCount"/>).
    /// Returns a new (width², width²) tensor.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The width is below 2 or above <see cref="PuzzleMixGrid.MaxTransportBlockCount"/>.</exception>
    internal static Tensor CostMatrix(int width, Device device)
    {
        CheckWidth(width, nameof(width));
        var values = CostMatrices.GetOrAdd(width, BuildCostMatrix);
        return tensor(values, [width * width, width * width], ScalarType.Float32, device);
    }

    // Wider grids are refused, not computed: their tables grow as T⁴ (630 MB at T = 112) and the rounds as T⁵.
    private static void CheckWidth(int width, string name)
    {
        if (width < 2 || width > PuzzleMixGrid.MaxTransportBlockCount)
            throw new ArgumentOutOfRangeException(
                name, width,
                Invariant($"The transport grid must have 2 to {PuzzleMixGrid.MaxTransportBlockCount} blocks a side, as the reference's (was {width}); PuzzleMixGrid.For keeps it so."));
    }

    private static float[] BuildCostMatrix(int width)
    {
        var blocks = width * width;
        var costs = new float[blocks * blocks];
        var denominator = (float)((width - 1) * (width - 1));
        for (var from = 0; from < blocks; from++)
        {
            for (var to = 0; to < blocks; to++)
            {
                var (rows, columns) = (from / width - to / width, from % width - to % width);
                costs[from * blocks + to] = (rows * rows + columns * columns) / denominator;
            }
        }
        return costs;
    }

    /// <summary>
    /// The reference's <c>mask_transport</c> as a 0/1 plan (N, T², T²) whose entry [i, j] is 1 when block i moves to
    /// block j: <see cref="Sources"/> spread out, for comparing with the reference.
    /// </summary>
    /// <inheritdoc cref="Sources"/>
    internal static Tensor Plan(Tensor mask, Tensor saliency, double cost, int parallelism = 1)
    {
        using var scope = NewDisposeScope();
        using var scalars = new ScalarScope();
        var sources = Sources(mask, saliency, cost, parallelism);
        var blocks = sources.shape[1];
        var plan = zeros([sources.shape[0], blocks + 1, blocks], ScalarType.Float32, sources.device);
        // Destinations nobody wins point at an extra row, dropped afterwards.
        var rows = where(sources.lt(scalars.Of(0)), full_like(sources, scalars.Of(blocks)), sources).unsqueeze(1);
        plan.scatter_(1, rows, ones(rows.shape, ScalarType.Float32, sources.device));
        return plan[TensorIndex.Colon, TensorIndex.Slice(0, blocks)].contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The reference's <c>mask_transport</c>: for each destination block, the block that moves there, (N, T²) int64,
    /// or −1 where none does. Each block starts at the destination of least cost (t_eps · squared distance − its
    /// saliency where the mask is &gt; 0); blocks that want the same destination are resolved by the least cost, the
    /// losers pay 1 more for it and choose again, for T rounds; the last round's winners move. Computed per sample
    /// on the CPU with the reference's float32 arithmetic and its ties (the first index of a minimum, as PyTorch's
    /// <c>min</c>), without its (N, T², T²) temporaries.
    /// </summary>
    /// <param name="mask">The masks on the transport grid, (N, 1, T, T), float32; the destinations are where it is &gt; 0.</param>
    /// <param name="saliency">Each block's normalised saliency, (N, T, T), float32.</param>
    /// <param name="cost">The weight of the distance moved (<c>t_eps</c>).</param>
    /// <param name="parallelism">The most threads to use, ≥ 1 (samples are independent).</param>
    /// <exception cref="ArgumentException">A shape or type is wrong, or T is above <see cref="PuzzleMixGrid.MaxTransportBlockCount"/>.</exception>
    internal static Tensor Sources(Tensor mask, Tensor saliency, double cost, int parallelism = 1)
    {
        ArgumentNullException.ThrowIfNull(mask);
        ArgumentNullException.ThrowIfNull(saliency);
        if (mask.dim() != 4 || mask.shape[1] != 1 || mask.shape[2] != mask.shape[3] || mask.shape[2] < 2 || mask.dtype != ScalarType.Float32)
            throw new ArgumentException(Invariant($"mask must be float32 shaped (N, 1, T, T) with T >= 2 (was {mask.dtype} [{PuzzleMixInputs.Shape(mask)}])."), nameof(mask));
        var (samples, width) = ((int)mask.shape[0], (int)mask.shape[3]);
        CheckWidth(width, nameof(mask));
        if (saliency.dim() != 3 || saliency.shape[0] != samples || saliency.shape[1] != width || saliency.shape[2] != width
            || saliency.dtype != ScalarType.Float32)
            throw new ArgumentException(
                Invariant($"saliency must be float32 shaped (N, T, T) = [{samples}, {width}, {width}] (was {saliency.dtype} [{PuzzleMixInputs.Shape(saliency)}])."),
                nameof(saliency));
        if (parallelism < 1)
            throw new ArgumentOutOfRangeException(nameof(parallelism), parallelism, Invariant($"parallelism must be >= 1 (was {parallelism})."));

        var blocks = width * width;
        var masks = mask.cpu().contiguous().data<float>().ToArray();
        var saliencies = saliency.cpu().contiguous().data<float>().ToArray();
        var distances = CostMatrices.GetOrAdd(width, BuildCostMatrix);
        var sources = new long[samples * blocks];
        Parallel.For(
            0, samples, new ParallelOptions { MaxDegreeOfParallelism = parallelism },
            () => new TransportRounds(blocks),
            (sample, _, rounds) =>
            {
                rounds.Run(
                    distances, (float)cost, width,
                    masks.AsSpan(sample * blocks, blocks), saliencies.AsSpan(sample * blocks, blocks), sources.AsSpan(sample * blocks, blocks));
                return rounds;
            },
            _ => { });
        return tensor(sources, [samples, blocks], ScalarType.Int64, mask.device);
    }

    /// <summary>
    /// The reference's <c>transport_image</c>: moves the blocks of <paramref name="images"/> as <paramref name="sources"/>
    /// says (the block that wins destination j lands on j; a destination nobody wins becomes 0), for any channel count.
    /// </summary>
    /// <param name="images">(N, C, T·t, T·t).</param>
    /// <param name="sources">(N, T²) from <see cref="Sources"/>: the block that lands on each block, −1 for none.</param>
    /// <param name="blockSize">The side t of a block, in pixels.</param>
    internal static Tensor Apply(Tensor images, Tensor sources, int blockSize)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(sources);
        if (images.dim() != 4 || images.shape[2] != images.shape[3] || blockSize < 1 || images.shape[2] % blockSize != 0)
            throw new ArgumentException(
                Invariant($"images must be square (N, C, S, S) with S a multiple of the block size {blockSize} (were [{PuzzleMixInputs.Shape(images)}])."),
                nameof(images));
        var (samples, channels, side) = (images.shape[0], images.shape[1], images.shape[2]);
        var width = side / blockSize;
        var blocks = width * width;
        if (sources.dim() != 2 || sources.shape[0] != samples || sources.shape[1] != blocks || sources.dtype != ScalarType.Int64)
            throw new ArgumentException(
                Invariant($"sources must be int64 shaped (N, T²) = [{samples}, {blocks}] (was {sources.dtype} [{PuzzleMixInputs.Shape(sources)}])."), nameof(sources));

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var scalars = new ScalarScope();
        // Blocks numbered row by row, as the plan's rows and columns.
        var patches = images.reshape(samples, channels, width, blockSize, width, blockSize)
            .permute(0, 1, 2, 4, 3, 5)
            .reshape(samples, channels, blocks, blockSize, blockSize);
        // The reference multiplies the blocks by the plan's transpose, whose rows hold at most one 1 (the block that
        // lands there): the same as picking that block, or 0.
        var received = sources.ge(scalars.Of(0)).to_type(ScalarType.Float32);
        var index = sources.clamp_min(scalars.Of(0)).reshape(samples, 1, blocks, 1, 1).expand(samples, channels, blocks, blockSize, blockSize);
        var moved = patches.gather(2, index).mul(received.reshape(samples, 1, blocks, 1, 1));
        return moved.reshape(samples, channels, width, width, blockSize, blockSize)
            .permute(0, 1, 2, 4, 3, 5)
            .reshape(samples, channels, side, side)
            .MoveToOuterDisposeScope();
    }

    // One worker's buffers for the transport rounds of one sample at a time.
    private sealed class TransportRounds(int blocks)
    {
        private readonly float[] costs = new float[blocks * blocks];
        private readonly int[] choice = new int[blocks];
        private readonly float[] bestCost = new float[blocks];
        private readonly int[] bestRow = new int[blocks];
        private readonly int[] choosers = new int[blocks];
        private readonly int[] winner = new int[blocks];

        public void Run(float[] distances, float weight, int width, ReadOnlySpan<float> mask, ReadOnlySpan<float> saliency, Span<long> sources)
        {
            // cost = eps * C - saliency[i] * z[j], each product and the difference in float32, as PyTorch computes it.
            for (var from = 0; from < blocks; from++)
            {
                for (var to = 0; to < blocks; to++)
                {
                    var destination = mask[to] > 0 ? 1f : 0f;
                    this.costs[from * blocks + to] = weight * distances[from * blocks + to] - saliency[from] * destination;
                }
                choice[from] = RowMinimum(from);
            }
            for (var round = 0; round < width; round++)
            {
                ResolveColumns();
                if (round == width - 1)
                    break;
                // The losers pay 1 more for the destination they wanted; only their rows change, so only they choose again.
                for (var from = 0; from < blocks; from++)
                {
                    var to = choice[from];
                    if (winner[to] != from)
                    {
                        this.costs[from * blocks + to] += 1f;
                        choice[from] = RowMinimum(from);
                    }
                }
            }
            for (var to = 0; to < blocks; to++)
                sources[to] = winner[to];
        }

        // The first column of the row's least cost, as torch.min's index.
        private int RowMinimum(int row)
        {
            var costs = this.costs.AsSpan(row * blocks, blocks);
            var best = 0;
            for (var column = 1; column < blocks; column++)
            {
                if (costs[column] < costs[best])
                    best = column;
            }
            return best;
        }

        // The reference's column resolve: per destination, the first row of least value in plan * cost, where a row
        // that did not choose the destination holds 0. So the chooser of least cost wins if that cost is below 0, or
        // is 0 and comes before every non-chooser, or if every row chose it; otherwise nobody wins.
        private void ResolveColumns()
        {
            Array.Fill(bestCost, float.PositiveInfinity);
            Array.Fill(bestRow, -1);
            Array.Clear(choosers);
            for (var from = 0; from < blocks; from++)
            {
                var to = choice[from];
                choosers[to]++;
                var value = this.costs[from * blocks + to];
                if (value < bestCost[to])
                    (bestCost[to], bestRow[to]) = (value, from);
            }
            for (var to = 0; to < blocks; to++)
            {
                var best = bestRow[to];
                winner[to] = best < 0 ? -1
                    : choosers[to] == blocks || bestCost[to] < 0 ? best
                    : bestCost[to] > 0 ? -1
                    : best < FirstNonChooser(to) ? best : -1;
            }
        }

        private int FirstNonChooser(int column)
        {
            for (var row = 0; row < blocks; row++)
            {
                if (choice[row] != column)
                    return row;
            }
            return blocks;
        }
    }
}

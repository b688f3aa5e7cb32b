using System.Collections.Concurrent;
using static System.FormattableString;
using static TorchSharp.torch;

namespace NfmGen;

/// <summary>
/// Puzzle Mix's transport: the reference's batched heuristic (<c>mask_transport</c>, <c>transport_image</c>), not
/// exact optimal transport. Each block of an image is sent towards a block where the mask keeps the image, trading
/// the distance moved (weighted by <c>t_eps</c>) against the block's saliency; blocks that want the same destination
/// are resolved in rounds, and a destination that no block wins becomes 0 (the mean colour of normalised images).
/// </summary>
public static class PuzzleMixTransport
{
    private static readonly ConcurrentDictionary<int, float[]> CostMatrices = new();

    /// <summary>
    /// The cost of moving block i to block j on a grid of <paramref name="width"/> × <paramref name="width"/> blocks
    /// (numbered row by row): the squared distance over (width − 1)², in float32 (the reference's <c>cost_matrix</c>,
    /// written for widths 2, 4, 8 and 16, here for any width ≥ 2). Returns a new (width², width²) tensor.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The width is below 2.</exception>
    public static Tensor CostMatrix(int width, Device device)
    {
        if (width < 2)
            throw new ArgumentOutOfRangeException(nameof(width), width, Invariant($"width must be >= 2 (was {width})."));
        var values = CostMatrices.GetOrAdd(width, static width =>
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
        });
        return tensor(values, [width * width, width * width], ScalarType.Float32, device);
    }

    /// <summary>
    /// The reference's <c>mask_transport</c>: a 0/1 plan (N, T², T²) whose entry [i, j] is 1 when block i moves to
    /// block j; each block moves at most once and each destination receives at most one block. Its rounds use
    /// libtorch's own minimum and scatter, so ties break as in PyTorch.
    /// </summary>
    /// <param name="mask">The masks on the transport grid, (N, 1, T, T); the destinations are the blocks where it is &gt; 0.</param>
    /// <param name="saliency">Each block's normalised saliency, (N, T, T), on the mask's device.</param>
    /// <param name="cost">The weight of the distance moved (<c>t_eps</c>).</param>
    public static Tensor Plan(Tensor mask, Tensor saliency, double cost)
    {
        ArgumentNullException.ThrowIfNull(mask);
        ArgumentNullException.ThrowIfNull(saliency);
        if (mask.dim() != 4 || mask.shape[1] != 1 || mask.shape[2] != mask.shape[3] || mask.shape[2] < 2)
            throw new ArgumentException(Invariant($"mask must be shaped (N, 1, T, T) with T >= 2 (was [{PuzzleMixInputs.Shape(mask)}])."), nameof(mask));
        var width = (int)mask.shape[3];
        var blocks = width * width;
        if (saliency.dim() != 3 || saliency.shape[0] != mask.shape[0] || saliency.shape[1] != width || saliency.shape[2] != width)
            throw new ArgumentException(
                Invariant($"saliency must be shaped (N, T, T) = [{mask.shape[0]}, {width}, {width}] (was [{PuzzleMixInputs.Shape(saliency)}])."), nameof(saliency));

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var distances = CostMatrix(width, mask.device).unsqueeze(0);
        var destinations = mask.gt(0).to_type(ScalarType.Float32);
        var costs = distances.mul(cost).sub(saliency.reshape(-1, blocks, 1).mul(destinations.reshape(-1, 1, blocks)));

        Tensor? won = null;
        for (var round = 0; round < width; round++)
        {
            // One scope per round: at N = 128 and 16 × 16 blocks each temporary is 32 MB.
            using var roundScope = NewDisposeScope();
            // scatter_ with the value 1, as the reference's; TorchSharp has only the form with a source tensor.
            var wanted = costs.min(-1).indexes.unsqueeze(-1);
            var plan = zeros_like(costs).scatter_(-1, wanted, ones(wanted.shape, ScalarType.Float32, costs.device));
            var fight = plan.mul(costs);
            var winners = fight.min(-2).indexes.unsqueeze(-2);
            var roundWon = zeros_like(costs).scatter_(-2, winners, ones(winners.shape, ScalarType.Float32, costs.device)).mul(plan);
            var lost = roundWon.neg().add(1).mul(plan);
            costs.add_(lost);
            if (round == width - 1)
                won = roundWon.MoveToOuterDisposeScope();
        }
        return won!.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The reference's <c>transport_image</c>: moves the blocks of <paramref name="images"/> as <paramref name="plan"/>
    /// says (the block that wins destination j lands on j; a destination nobody wins becomes 0), for any channel count.
    /// </summary>
    /// <param name="images">(N, C, T·t, T·t).</param>
    /// <param name="plan">(N, T², T²) from <see cref="Plan"/>.</param>
    /// <param name="blockSize">The side t of a block, in pixels.</param>
    public static Tensor Apply(Tensor images, Tensor plan, int blockSize)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(plan);
        if (images.dim() != 4 || images.shape[2] != images.shape[3] || blockSize < 1 || images.shape[2] % blockSize != 0)
            throw new ArgumentException(
                Invariant($"images must be square (N, C, S, S) with S a multiple of the block size {blockSize} (were [{PuzzleMixInputs.Shape(images)}])."),
                nameof(images));
        var (samples, channels, side) = (images.shape[0], images.shape[1], images.shape[2]);
        var width = side / blockSize;
        var blocks = width * width;
        if (plan.dim() != 3 || plan.shape[0] != samples || plan.shape[1] != blocks || plan.shape[2] != blocks)
            throw new ArgumentException(
                Invariant($"plan must be shaped (N, T², T²) = [{samples}, {blocks}, {blocks}] (was [{PuzzleMixInputs.Shape(plan)}])."), nameof(plan));

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        // Blocks numbered row by row, as the plan's rows and columns.
        var patches = images.reshape(samples, channels, width, blockSize, width, blockSize)
            .permute(0, 1, 2, 4, 3, 5)
            .reshape(samples, channels, blocks, blockSize, blockSize);
        // Each column of the plan holds at most one 1: its row is the block that lands there. The reference
        // multiplies by the plan's transpose, which is the same: one term times 1, the others times 0.
        var (received, source) = plan.max(1);
        var index = source.reshape(samples, 1, blocks, 1, 1).expand(samples, channels, blocks, blockSize, blockSize);
        var moved = patches.gather(2, index).mul(received.reshape(samples, 1, blocks, 1, 1));
        return moved.reshape(samples, channels, width, width, blockSize, blockSize)
            .permute(0, 1, 2, 4, 3, 5)
            .reshape(samples, channels, side, side)
            .MoveToOuterDisposeScope();
    }
}

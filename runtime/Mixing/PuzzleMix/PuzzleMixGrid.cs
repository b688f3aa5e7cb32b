using static System.FormattableString;

namespace NfmGen.Mixing.PuzzleMix;

/// <summary>
/// The sizes of one Puzzle Mix batch, in pixels: the graph cut's blocks, the neighbourhoods of its pairwise terms and
/// the blocks that transport moves. <see cref="For"/> holds the rules.
/// </summary>
/// <param name="Side">The image side S.</param>
/// <param name="BlockCount">The graph cut's blocks per side.</param>
/// <param name="BlockSize">S / <see cref="BlockCount"/>.</param>
/// <param name="NeighbourSize">The side of the neighbourhoods averaged for the pairwise terms; divides the block side.</param>
/// <param name="TransportSize">The side of the blocks that transport moves; divides the block side.</param>
internal sealed record PuzzleMixGrid(int Side, int BlockCount, int BlockSize, int NeighbourSize, int TransportSize)
{
    /// <summary>The most transport blocks a side, as the reference's largest transport grid.</summary>
    public const int MaxTransportBlockCount = 16;

    /// <summary>The number of transport blocks per side, S / <see cref="TransportSize"/>; at most <see cref="MaxTransportBlockCount"/>.</summary>
    public int TransportBlockCount => Side / TransportSize;

    /// <summary>
    /// The sizes for an image side, a block count and the options. For the reference's 32 × 32 images and its sizes
    /// these are the reference's: <c>neigh_size = min(neigh_size, block_size)</c>, <c>t_size = min(t_size,
    /// block_size)</c>, and <c>t_size = -1</c> is the block side. The reference assumes those divide the block side
    /// (and crashes, or averages misaligned windows, where they do not, as on Fashion-MNIST's 28 × 28 images); here a
    /// size that does not is taken down to the largest divisor of the block side below it. A transport size that
    /// comes down to 1 on blocks larger than 1 is the block side instead (as −1 asks). And the transport grid has at
    /// most <see cref="MaxTransportBlockCount"/> blocks a side, the reference's largest (its <c>cost_matrix_dict</c>
    /// has 2, 4, 8 and 16): a transport size below S / 16 is raised to the smallest divisor of the block side that
    /// is at least S / 16 (on 224 × 224 images with 16 blocks, 14 pixels instead of 2, a 16² grid instead of 112²,
    /// whose cost table alone would take 630 MB per thread). For S ≤ 32 this never applies: the reference's sizes stay.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The block count is not one of <see cref="PuzzleMixImages.BlockCounts"/>(side).</exception>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    internal static PuzzleMixGrid For(int side, int blockCount, PuzzleMixOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var allowed = PuzzleMixImages.BlockCounts(side);
        if (!allowed.Contains(blockCount))
            throw new ArgumentOutOfRangeException(
                nameof(blockCount), blockCount,
                Invariant($"blockCount must be one of {string.Join(", ", allowed)} for images of side {side} (was {blockCount})."));
        var blockSize = side / blockCount;
        var neighbourSize = LargestDivisorAtMost(blockSize, options.NeighbourSize);
        var transportSize = options.TransportSize == -1 ? blockSize : LargestDivisorAtMost(blockSize, options.TransportSize);
        if (transportSize == 1 && blockSize > 1)
            transportSize = blockSize;
        var smallestTransportSize = (side + MaxTransportBlockCount - 1) / MaxTransportBlockCount;
        if (transportSize < smallestTransportSize)
            transportSize = SmallestDivisorAtLeast(blockSize, smallestTransportSize);
        return new PuzzleMixGrid(side, blockCount, blockSize, neighbourSize, transportSize);
    }

    // The block side is at least S / 16 (at most 16 blocks a side), so a divisor is always found.
    private static int SmallestDivisorAtLeast(int value, int limit)
    {
        for (var divisor = Math.Max(limit, 1); divisor < value; divisor++)
        {
            if (value % divisor == 0)
                return divisor;
        }
        return value;
    }

    private static int LargestDivisorAtMost(int value, int limit)
    {
        for (var divisor = Math.Min(value, limit); divisor > 1; divisor--)
        {
            if (value % divisor == 0)
                return divisor;
        }
        return 1;
    }
}

using static System.FormattableString;

namespace NfmGen.Mixing.PuzzleMix;

/// <summary>
/// Minimises a <see cref="GridEnergy"/> by α-β swap moves (Boykov, Veksler and Zabih 2001, "Fast approximate energy
/// minimization via graph cuts"), as gco's <c>swap</c> does for Puzzle Mix: sweep over every label pair (α, β),
/// replace the labelling by the best one reachable by relabelling the pixels labelled α or β among α and β (one
/// minimum cut), keep it if it lowers the energy, and stop after a sweep that lowers nothing. The result is a local
/// minimum with respect to every swap move; with two labels, one move is the whole problem, so it is the exact minimum.
/// </summary>
/// <remarks>
/// An instance keeps its graph and index buffers between calls, so labelling many grids allocates little; it is not
/// thread-safe. To label a batch in parallel, give each thread its own instance (<see cref="GridEnergy"/> itself is
/// immutable and may be shared).
/// </remarks>
internal sealed class AlphaBetaSwap
{
    private readonly MaxFlowGraph graph = new();
    private int[] nodeOfPixel = [];
    private int[] pixelOfNode = [];

    /// <summary>
    /// A labelling of low energy, starting from every pixel labelled 0 (gco's start), as a new array.
    /// </summary>
    public int[] Minimize(GridEnergy energy)
    {
        ArgumentNullException.ThrowIfNull(energy);
        var labels = new int[energy.PixelCount];
        Minimize(energy, labels);
        return labels;
    }

    /// <summary>
    /// Improves <paramref name="labels"/> in place by swap moves until no swap move lowers the energy; the energy
    /// never rises. Returns the number of sweeps over all label pairs, the last of which changed nothing.
    /// </summary>
    /// <exception cref="ArgumentException">The labelling has the wrong length or a label out of range.</exception>
    public int Minimize(GridEnergy energy, Span<int> labels)
    {
        ArgumentNullException.ThrowIfNull(energy);
        energy.CheckLabelling(labels, nameof(labels));
        var sweeps = 0;
        bool lowered;
        do
        {
            sweeps++;
            lowered = false;
            for (var alpha = 0; alpha < energy.LabelCount; alpha++)
            {
                for (var beta = alpha + 1; beta < energy.LabelCount; beta++)
                    lowered |= TrySwap(energy, labels, alpha, beta);
            }
        }
        while (lowered);
        return sweeps;
    }

    /// <summary>
    /// One α-β swap move: finds the best relabelling, among <paramref name="alpha"/> and <paramref name="beta"/>, of the
    /// pixels now labelled either, and applies it if it lowers the energy. Returns whether it did.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// The labelling has the wrong length or a label out of range, or the two labels are equal or out of range.
    /// </exception>
    public bool TrySwap(GridEnergy energy, Span<int> labels, int alpha, int beta)
    {
        ArgumentNullException.ThrowIfNull(energy);
        energy.CheckLabelling(labels, nameof(labels));
        if ((uint)alpha >= (uint)energy.LabelCount || (uint)beta >= (uint)energy.LabelCount || alpha == beta)
            throw new ArgumentException(
                Invariant($"alpha and beta must be two different labels in [0, {energy.LabelCount}) (were {alpha} and {beta})."), nameof(beta));

        var nodes = IndexSwapPixels(energy, labels, alpha, beta);
        if (nodes == 0)
            return false;
        var currentCost = BuildSwapGraph(energy, labels, alpha, beta, nodes);
        var bestCost = this.graph.ComputeMaxFlow();
        if (bestCost >= currentCost)
            return false;
        for (var node = 0; node < nodes; node++)
            labels[pixelOfNode[node]] = this.graph.IsOnSourceSide(node) ? alpha : beta;
        return true;
    }

    // Numbers the pixels labelled alpha or beta as graph nodes 0.., and marks every other pixel -1.
    private int IndexSwapPixels(GridEnergy energy, ReadOnlySpan<int> labels, int alpha, int beta)
    {
        var pixels = energy.PixelCount;
        if (nodeOfPixel.Length < pixels)
        {
            nodeOfPixel = new int[pixels];
            pixelOfNode = new int[pixels];
        }
        var nodes = 0;
        for (var pixel = 0; pixel < pixels; pixel++)
        {
            if (labels[pixel] == alpha || labels[pixel] == beta)
            {
                nodeOfPixel[pixel] = nodes;
                pixelOfNode[nodes++] = pixel;
            }
            else
            {
                nodeOfPixel[pixel] = -1;
            }
        }
        return nodes;
    }

    // The move's binary energy as a graph: a node on the source side takes alpha, so its sink arc carries the cost of
    // alpha (unary plus the edges to fixed neighbours) and its source arc the cost of beta; an edge between two moving
    // pixels costs w·V(alpha, beta) when they part, as V(alpha, alpha) = V(beta, beta) = 0. Each node's smaller cost
    // is taken off both arcs (a constant, so arcs stay >= 0 for any sign of D). Returns the current labelling's cost
    // on the same scale, to compare with the minimum cut.
    private long BuildSwapGraph(GridEnergy energy, ReadOnlySpan<int> labels, int alpha, int beta, int nodes)
    {
        this.graph.Reset(nodes);
        var partingCost = energy.PairCost(alpha, beta);
        var columns = energy.Columns;
        long currentCost = 0;
        for (var node = 0; node < nodes; node++)
        {
            var pixel = pixelOfNode[node];
            var row = pixel / columns;
            var column = pixel % columns;
            var costAlpha = energy.UnaryCost(pixel, alpha);
            var costBeta = energy.UnaryCost(pixel, beta);

            for (var direction = 0; direction < 4; direction++)
            {
                if (!TryNeighbour(energy, row, column, direction, out var other, out var weight))
                    continue;
                var otherNode = nodeOfPixel[other];
                if (otherNode < 0)
                {
                    costAlpha += weight * energy.PairCost(alpha, labels[other]);
                    costBeta += weight * energy.PairCost(beta, labels[other]);
                }
                else if (direction is Down or Right)
                {
                    // Each edge between two moving pixels is added once, from its upper or left end.
                    var capacity = weight * partingCost;
                    this.graph.AddEdge(node, otherNode, capacity, capacity);
                    if (labels[pixel] != labels[other])
                        currentCost += capacity;
                }
            }

            var floor = Math.Min(costAlpha, costBeta);
            this.graph.AddTerminalCapacities(node, fromSource: costBeta - floor, toSink: costAlpha - floor);
            currentCost += (labels[pixel] == alpha ? costAlpha : costBeta) - floor;
        }
        return currentCost;
    }

    private const int Up = 0, Down = 1, Left = 2, Right = 3;

    // The pixel next to (row, column) in one of the four directions, and the weight of the edge to it, if inside the grid.
    private static bool TryNeighbour(GridEnergy energy, int row, int column, int direction, out int other, out long weight)
    {
        var columns = energy.Columns;
        var pixel = row * columns + column;
        (var inside, other, weight) = direction switch
        {
            Up when row > 0 => (true, pixel - columns, energy.VerticalWeight(row - 1, column)),
            Down when row + 1 < energy.Rows => (true, pixel + columns, energy.VerticalWeight(row, column)),
            Left when column > 0 => (true, pixel - 1, energy.HorizontalWeight(row, column - 1)),
            Right when column + 1 < columns => (true, pixel + 1, energy.HorizontalWeight(row, column)),
            _ => (false, -1, 0L),
        };
        return inside;
    }
}

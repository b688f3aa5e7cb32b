using static System.FormattableString;

namespace NfmGen.Mixing.PuzzleMix;

/// <summary>
/// A multi-label energy on a 4-connected grid of <see cref="Rows"/> × <see cref="Columns"/> pixels, numbered row by
/// row (pixel <c>r * Columns + c</c>), each taking one of <see cref="LabelCount"/> labels:
/// E(f) = Σ_p D_p(f_p) + Σ_{p~q} w_pq · V(f_p, f_q), in integers.
/// This is the shape of gco's <c>cut_grid_graph(unary, pairwise, cost_v, cost_h)</c>, which the Puzzle Mix reference
/// calls: one label-pair cost table V shared by all edges, times a weight per edge, given separately for the
/// vertical edges (between rows) and the horizontal edges (between columns).
/// </summary>
/// <remarks>
/// V must be a semi-metric (V(a, a) = 0, V(a, b) = V(b, a) ≥ 0) and every weight ≥ 0: that is what the α-β swap
/// move's graph needs (<see cref="AlphaBetaSwap"/>). Puzzle Mix's V(i, j) = (i − j)² / (n − 1)² is one, but it is
/// not a metric for 3 labels (V(0, 2) = 1 &gt; V(0, 1) + V(1, 2) = 0.5), which is why it uses swap, not expansion.
/// The tables are copied, so an energy is immutable and may be shared between threads.
/// </remarks>
internal sealed class GridEnergy
{
    private readonly long[] unary;
    private readonly long[] pairCost;
    private readonly long[] verticalWeights;
    private readonly long[] horizontalWeights;

    /// <summary>Checks and copies the energy's tables.</summary>
    /// <param name="rows">The grid's height, ≥ 1.</param>
    /// <param name="columns">The grid's width, ≥ 1.</param>
    /// <param name="unaryCosts">D: [pixel, label], rows × columns pixels by the label count (≥ 1) labels; any sign.</param>
    /// <param name="labelPairCosts">V: [label, label], a semi-metric.</param>
    /// <param name="verticalWeights">
    /// [row, column], (rows − 1) × columns, ≥ 0: the weight of the edge between (row, column) and (row + 1, column).
    /// </param>
    /// <param name="horizontalWeights">
    /// [row, column], rows × (columns − 1), ≥ 0: the weight of the edge between (row, column) and (row, column + 1).
    /// </param>
    /// <exception cref="ArgumentNullException">A table is null.</exception>
    /// <exception cref="ArgumentException">
    /// A size is below 1, a table has the wrong shape, V is not a semi-metric, or a weight is negative; the message
    /// names the value and what is accepted.
    /// </exception>
    public GridEnergy(int rows, int columns, long[,] unaryCosts, long[,] labelPairCosts, long[,] verticalWeights, long[,] horizontalWeights)
    {
        ArgumentNullException.ThrowIfNull(unaryCosts);
        ArgumentNullException.ThrowIfNull(labelPairCosts);
        ArgumentNullException.ThrowIfNull(verticalWeights);
        ArgumentNullException.ThrowIfNull(horizontalWeights);
        if (rows < 1)
            throw new ArgumentOutOfRangeException(nameof(rows), rows, Invariant($"rows must be >= 1 (was {rows})."));
        if (columns < 1)
            throw new ArgumentOutOfRangeException(nameof(columns), columns, Invariant($"columns must be >= 1 (was {columns})."));

        var pixels = rows * columns;
        var labels = unaryCosts.GetLength(1);
        CheckShape(unaryCosts, pixels, Math.Max(labels, 1), nameof(unaryCosts), "[rows * columns, labels >= 1]");
        CheckShape(labelPairCosts, labels, labels, nameof(labelPairCosts), "[labels, labels]");
        CheckShape(verticalWeights, rows - 1, columns, nameof(verticalWeights), "[rows - 1, columns]");
        CheckShape(horizontalWeights, rows, columns - 1, nameof(horizontalWeights), "[rows, columns - 1]");
        CheckSemiMetric(labelPairCosts);
        CheckNonNegative(verticalWeights, nameof(verticalWeights));
        CheckNonNegative(horizontalWeights, nameof(horizontalWeights));

        Rows = rows;
        Columns = columns;
        LabelCount = labels;
        this.unary = Flatten(unaryCosts);
        this.pairCost = Flatten(labelPairCosts);
        this.verticalWeights = Flatten(verticalWeights);
        this.horizontalWeights = Flatten(horizontalWeights);
    }

    // Adopts the tables without checking or copying them, for PuzzleMixLabeller, which refills them between
    // minimisations on one thread; such an energy is not immutable, so it is never shared.
    private GridEnergy(int rows, int columns, int labels, long[] unary, long[] pairCost, long[] verticalWeights, long[] horizontalWeights)
    {
        Rows = rows;
        Columns = columns;
        LabelCount = labels;
        this.unary = unary;
        this.pairCost = pairCost;
        this.verticalWeights = verticalWeights;
        this.horizontalWeights = horizontalWeights;
    }

    /// <summary>
    /// An energy over the given flat tables (row by row, as the constructor's), used in place: the caller may rewrite
    /// them between minimisations, and must keep V a semi-metric and the weights &gt;= 0, which are not checked here.
    /// </summary>
    internal static GridEnergy OverBuffers(
        int rows, int columns, int labels, long[] unary, long[] pairCost, long[] verticalWeights, long[] horizontalWeights)
    {
        if (unary.Length != rows * columns * labels || pairCost.Length != labels * labels
            || verticalWeights.Length != (rows - 1) * columns || horizontalWeights.Length != rows * (columns - 1))
            throw new ArgumentException(Invariant($"The buffers do not fit a {rows} x {columns} grid of {labels} labels."));
        return new GridEnergy(rows, columns, labels, unary, pairCost, verticalWeights, horizontalWeights);
    }

    /// <summary>
    /// Puzzle Mix's label-pair costs V(i, j) = (i − j)² / (n − 1)² for <paramref name="labels"/> labels, times
    /// <paramref name="scale"/> and truncated to integers, as gco receives them: the reference passes this table as
    /// floats and pyGCO multiplies it by 100 (its smooth-cost precision) and truncates, so scale 100 gives 0, 25, 100
    /// for 3 labels. A semi-metric, not a metric for 3 or more labels.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A count or scale below 1.</exception>
    internal static long[,] SquaredLabelDistances(int labels, long scale)
    {
        if (labels < 1)
            throw new ArgumentOutOfRangeException(nameof(labels), labels, Invariant($"labels must be >= 1 (was {labels})."));
        if (scale < 1)
            throw new ArgumentOutOfRangeException(nameof(scale), scale, Invariant($"scale must be >= 1 (was {scale})."));
        var costs = new long[labels, labels];
        var denominator = (long)(labels - 1) * (labels - 1);
        for (var a = 0; a < labels; a++)
        {
            for (var b = 0; b < labels; b++)
                costs[a, b] = labels == 1 ? 0 : scale * (a - b) * (a - b) / denominator;
        }
        return costs;
    }

    /// <summary>The grid's height.</summary>
    public int Rows { get; }

    /// <summary>The grid's width.</summary>
    public int Columns { get; }

    /// <summary>The number of labels.</summary>
    public int LabelCount { get; }

    /// <summary>Rows × columns.</summary>
    public int PixelCount => Rows * Columns;

    /// <summary>D_p(label): the cost of giving <paramref name="pixel"/> the label.</summary>
    public long UnaryCost(int pixel, int label) => this.unary[pixel * LabelCount + label];

    /// <summary>V(a, b): the cost of neighbours labelled a and b, before the edge's weight.</summary>
    public long PairCost(int a, int b) => this.pairCost[a * LabelCount + b];

    /// <summary>The weight of the edge between (row, column) and (row + 1, column).</summary>
    public long VerticalWeight(int row, int column) => this.verticalWeights[row * Columns + column];

    /// <summary>The weight of the edge between (row, column) and (row, column + 1).</summary>
    public long HorizontalWeight(int row, int column) => this.horizontalWeights[row * (Columns - 1) + column];

    /// <summary>E(f) for the labelling <paramref name="labels"/> (one label per pixel, row by row).</summary>
    /// <exception cref="ArgumentException">The labelling has the wrong length or a label out of range.</exception>
    public long Evaluate(ReadOnlySpan<int> labels)
    {
        CheckLabelling(labels, nameof(labels));
        long energy = 0;
        for (var pixel = 0; pixel < PixelCount; pixel++)
            energy += UnaryCost(pixel, labels[pixel]);
        for (var row = 0; row < Rows; row++)
        {
            for (var column = 0; column < Columns; column++)
            {
                var pixel = row * Columns + column;
                if (row + 1 < Rows)
                    energy += VerticalWeight(row, column) * PairCost(labels[pixel], labels[pixel + Columns]);
                if (column + 1 < Columns)
                    energy += HorizontalWeight(row, column) * PairCost(labels[pixel], labels[pixel + 1]);
            }
        }
        return energy;
    }

    /// <summary>Throws unless <paramref name="labels"/> is a labelling of this grid.</summary>
    internal void CheckLabelling(ReadOnlySpan<int> labels, string name)
    {
        if (labels.Length != PixelCount)
            throw new ArgumentException(Invariant($"A labelling needs one label per pixel: {PixelCount} (was {labels.Length})."), name);
        for (var pixel = 0; pixel < labels.Length; pixel++)
        {
            if ((uint)labels[pixel] >= (uint)LabelCount)
                throw new ArgumentException(Invariant($"Labels must be in [0, {LabelCount}) (pixel {pixel} was {labels[pixel]})."), name);
        }
    }

    private static void CheckShape(long[,] table, int rows, int columns, string name, string expected)
    {
        if (table.GetLength(0) != rows || table.GetLength(1) != columns)
            throw new ArgumentException(
                Invariant($"{name} must have shape {expected} = [{rows}, {columns}] (was [{table.GetLength(0)}, {table.GetLength(1)}])."), name);
    }

    private static void CheckSemiMetric(long[,] pairCosts)
    {
        var labels = pairCosts.GetLength(0);
        for (var a = 0; a < labels; a++)
        {
            if (pairCosts[a, a] != 0)
                throw new ArgumentException(
                    Invariant($"labelPairCosts must be a semi-metric for α-β swap: V[{a}, {a}] must be 0 (was {pairCosts[a, a]})."), "labelPairCosts");
            for (var b = a + 1; b < labels; b++)
            {
                if (pairCosts[a, b] != pairCosts[b, a])
                    throw new ArgumentException(
                        Invariant($"labelPairCosts must be a semi-metric for α-β swap: V[{a}, {b}] must equal V[{b}, {a}] (were {pairCosts[a, b]} and {pairCosts[b, a]})."),
                        "labelPairCosts");
                if (pairCosts[a, b] < 0)
                    throw new ArgumentException(
                        Invariant($"labelPairCosts must be a semi-metric for α-β swap: V[{a}, {b}] must be >= 0 (was {pairCosts[a, b]})."), "labelPairCosts");
            }
        }
    }

    private static void CheckNonNegative(long[,] weights, string name)
    {
        for (var row = 0; row < weights.GetLength(0); row++)
        {
            for (var column = 0; column < weights.GetLength(1); column++)
            {
                if (weights[row, column] < 0)
                    throw new ArgumentException(Invariant($"{name}[{row}, {column}] must be >= 0 (was {weights[row, column]})."), name);
            }
        }
    }

    private static long[] Flatten(long[,] table)
    {
        var flat = new long[table.Length];
        var index = 0;
        foreach (var value in table)
            flat[index++] = value;
        return flat;
    }
}

using System.Collections.Concurrent;
using NfmGen.Mixing.PuzzleMix;

namespace NfmGen.Mixing.PuzzleMix;

/// <summary>
/// Labels the samples of a batch one at a time with one <see cref="AlphaBetaSwap"/> and reused buffers, so that a
/// sample allocates nothing; one instance per thread (<see cref="PuzzleMixLabelling"/> keeps a pool).
/// </summary>
internal sealed class PuzzleMixLabeller
{
    private static readonly ConcurrentBag<PuzzleMixLabeller> Pool = [];

    private readonly AlphaBetaSwap swap = new();
    private readonly Dictionary<(int Blocks, int Labels), Buffers> buffersBySize = [];

    internal static PuzzleMixLabeller Rent() => Pool.TryTake(out var labeller) ? labeller : new PuzzleMixLabeller();

    internal static void Return(PuzzleMixLabeller labeller) => Pool.Add(labeller);

    /// <summary>
    /// Minimises the sample's energy from all labels 0 (gco's start) by α-β swaps, into <paramref name="labels"/>.
    /// The energy is the one gco minimises, divided by 1000: pyGCO multiplies the float-typed problem's unary
    /// costs by 100000, its edge weights by 1000 and its label-pair costs by 100 (truncating each), so
    /// E = Σ 100·unary + Σ weight·trunc(100·V). Kept in 64 bits, where pyGCO's int32 product wraps for unary costs
    /// above 21474 (a 16 × 16 grid whose one block holds more than about 8% of the saliency).
    /// </summary>
    public void Label(PuzzleMixCosts costs, int sample, Span<int> labels)
    {
        var buffers = BuffersFor(costs.Grid.BlockCount, costs.Labels);
        costs.WriteGraph(sample, buffers.Unary, buffers.Vertical, buffers.Horizontal);
        for (var index = 0; index < buffers.Unary.Length; index++)
            buffers.UnaryCosts[index] = 100L * buffers.Unary[index];
        for (var edge = 0; edge < buffers.Vertical.Length; edge++)
            buffers.VerticalWeights[edge] = buffers.Vertical[edge];
        for (var edge = 0; edge < buffers.Horizontal.Length; edge++)
            buffers.HorizontalWeights[edge] = buffers.Horizontal[edge];
        labels.Clear();
        swap.Minimize(buffers.Energy, labels);
    }

    private Buffers BuffersFor(int blocks, int labels)
    {
        if (!buffersBySize.TryGetValue((blocks, labels), out var buffers))
        {
            buffers = new Buffers(blocks, labels);
            buffersBySize.Add((blocks, labels), buffers);
        }
        return buffers;
    }

    private sealed class Buffers
    {
        public Buffers(int blocks, int labels)
        {
            Unary = new int[blocks * blocks * labels];
            Vertical = new int[(blocks - 1) * blocks];
            Horizontal = new int[blocks * (blocks - 1)];
            UnaryCosts = new long[Unary.Length];
            VerticalWeights = new long[Vertical.Length];
            HorizontalWeights = new long[Horizontal.Length];
            var pairCosts = GridEnergy.SquaredLabelDistances(labels, 100);
            var flatPairCosts = new long[labels * labels];
            for (var a = 0; a < labels; a++)
            {
                for (var b = 0; b < labels; b++)
                    flatPairCosts[a * labels + b] = pairCosts[a, b];
            }
            Energy = GridEnergy.OverBuffers(blocks, blocks, labels, UnaryCosts, flatPairCosts, VerticalWeights, HorizontalWeights);
        }

        public int[] Unary { get; }
        public int[] Vertical { get; }
        public int[] Horizontal { get; }
        public long[] UnaryCosts { get; }
        public long[] VerticalWeights { get; }
        public long[] HorizontalWeights { get; }
        public GridEnergy Energy { get; }
    }
}

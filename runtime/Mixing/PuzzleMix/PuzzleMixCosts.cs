using NfmGen.Data;
using NfmGen.Network;
using TorchSharp;
using static System.FormattableString;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace NfmGen.Mixing.PuzzleMix;

/// <summary>
/// The terms of one batch's graph cuts, as the reference's <c>mixup_graph</c> builds them before it calls
/// <c>graphcut_multi</c> per sample: each block's normalised saliency of the image and of its partner, corrected by
/// the pairwise terms' label-dependent parts, and the pairwise terms between neighbouring blocks (float32, computed
/// with the reference's tensor operations in its order, so the values are PyTorch's). <see cref="WriteGraph"/> turns
/// one sample's terms into the integers that the reference hands gco.
/// </summary>
internal sealed class PuzzleMixCosts
{
    private readonly float[] ownUnary;
    private readonly float[] partnerUnary;
    private readonly float[] verticalPairwise;
    private readonly float[] horizontalPairwise;
    private readonly double[] prior;

    private PuzzleMixCosts(
        int samples, PuzzleMixGrid grid, int labels, double lambda, double blockBeta,
        float[] ownUnary, float[] partnerUnary, float[] verticalPairwise, float[] horizontalPairwise, double[] prior)
    {
        Samples = samples;
        Grid = grid;
        Labels = labels;
        Lambda = lambda;
        BlockBeta = blockBeta;
        this.ownUnary = ownUnary;
        this.partnerUnary = partnerUnary;
        this.verticalPairwise = verticalPairwise;
        this.horizontalPairwise = horizontalPairwise;
        this.prior = prior;
    }

    /// <summary>The number of samples N.</summary>
    public int Samples { get; }

    /// <summary>The batch's sizes.</summary>
    public PuzzleMixGrid Grid { get; }

    /// <summary>The number of labels n.</summary>
    public int Labels { get; }

    /// <summary>λ, the batch's mixing weight.</summary>
    public double Lambda { get; }

    /// <summary>β / blocks per side / 16: the reference's label smoothness per edge on this grid.</summary>
    public double BlockBeta { get; }

    /// <summary>
    /// The integers gco would scale: the reference's <c>large_val</c>, 1000 · blocks², which multiplies every term
    /// before it is truncated.
    /// </summary>
    public int Scale => 1000 * Grid.BlockCount * Grid.BlockCount;

    /// <summary>Sample <paramref name="sample"/>'s own corrected unary term per block (the reference's <c>unary1[i]</c>), row by row.</summary>
    public ReadOnlySpan<float> OwnUnary(int sample) => Slice(this.ownUnary, sample, Grid.BlockCount * Grid.BlockCount);

    /// <summary>Its partner's corrected unary term per block (the reference's <c>unary2[i]</c>), row by row.</summary>
    public ReadOnlySpan<float> PartnerUnary(int sample) => Slice(this.partnerUnary, sample, Grid.BlockCount * Grid.BlockCount);

    /// <summary>The pairwise term of each vertical edge, (blocks − 1) × blocks (the reference's <c>pw_x[i]</c>).</summary>
    public ReadOnlySpan<float> VerticalPairwise(int sample) => Slice(this.verticalPairwise, sample, (Grid.BlockCount - 1) * Grid.BlockCount);

    /// <summary>The pairwise term of each horizontal edge, blocks × (blocks − 1) (the reference's <c>pw_y[i]</c>).</summary>
    public ReadOnlySpan<float> HorizontalPairwise(int sample) => Slice(this.horizontalPairwise, sample, Grid.BlockCount * (Grid.BlockCount - 1));

    /// <summary>
    /// The terms of a batch: <c>mixup_graph</c> from its start to its <c>graphcut_multi</c> calls. A sample whose
    /// saliency sums to 0 (a zero gradient) gets the same saliency in every block, where the reference would divide by 0.
    /// </summary>
    /// <param name="inputs">Normalised images (N, C, S, S), float32, on any device.</param>
    /// <param name="saliency">Per-pixel saliency (N, S, S), float32, ≥ 0, on the inputs' device.</param>
    /// <param name="permutation">Each image's partner (N), int64, on the inputs' device.</param>
    /// <param name="grid">The batch's sizes (<see cref="PuzzleMixGrid.For"/>).</param>
    /// <param name="lambda">λ in [0, 1].</param>
    /// <param name="options">The settings; <see cref="PuzzleMixOptions.Labels"/>, Eta, Beta and Gamma are used.</param>
    /// <param name="normalization">How the images were normalised: the pairwise terms compare pixels in [0, 1].</param>
    internal static PuzzleMixCosts Compute(
        Tensor inputs, Tensor saliency, Tensor permutation, PuzzleMixGrid grid, double lambda, PuzzleMixOptions options, Normalization normalization)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(normalization);
        PuzzleMixInputs.Check(inputs, saliency, permutation, normalization, grid.Side);
        options.Validate();
        PuzzleMixInputs.CheckLambda(lambda);

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var scalars = new ScalarScope();
        var samples = (int)inputs.shape[0];
        var blocks = grid.BlockCount;
        var blockBeta = options.Beta / blocks / 16;

        // unary term
        var ownSaliency = BlockSaliency(saliency, grid.BlockSize);
        var partnerSaliency = ownSaliency.index_select(0, permutation);

        // pairwise terms, on pixels in [0, 1] averaged over neighbourhoods
        var ownPooled = avg_pool2d(normalization.ToPixels(inputs), grid.NeighbourSize);
        var partnerPooled = ownPooled.index_select(0, permutation);
        var step = grid.BlockSize / grid.NeighbourSize;
        var smoothness = blockBeta * options.Gamma;
        // [a, b]: the upper (left) block shows the own image when a = 1, the partner when a = 0; b, the lower (right).
        var (x00, y00) = NeighbourPenalty(partnerPooled, partnerPooled, step, smoothness);
        var (x01, y01) = NeighbourPenalty(partnerPooled, ownPooled, step, smoothness);
        var (x10, y10) = NeighbourPenalty(ownPooled, partnerPooled, step, smoothness);
        var (x11, y11) = NeighbourPenalty(ownPooled, ownPooled, step, smoothness);

        // The label-dependent parts move into the unary terms, in the reference's order (the slices overlap, and
        // float sums depend on their order).
        var own = ownSaliency.clone();
        var partner = partnerSaliency.clone();
        var (allButLast, allButFirst, all) = (TensorIndex.Slice(null, -1), TensorIndex.Slice(1, null), TensorIndex.Colon);
        partner[all, allButLast, all].add_(x10.add(x11, scalars.Of(1)).div(scalars.Of(2.0)), scalars.Of(1));
        own[all, allButLast, all].add_(x01.add(x00, scalars.Of(1)).div(scalars.Of(2.0)), scalars.Of(1));
        partner[all, allButFirst, all].add_(x01.add(x11, scalars.Of(1)).div(scalars.Of(2.0)), scalars.Of(1));
        own[all, allButFirst, all].add_(x10.add(x00, scalars.Of(1)).div(scalars.Of(2.0)), scalars.Of(1));
        partner[all, all, allButLast].add_(y10.add(y11, scalars.Of(1)).div(scalars.Of(2.0)), scalars.Of(1));
        own[all, all, allButLast].add_(y01.add(y00, scalars.Of(1)).div(scalars.Of(2.0)), scalars.Of(1));
        partner[all, all, allButFirst].add_(y01.add(y11, scalars.Of(1)).div(scalars.Of(2.0)), scalars.Of(1));
        own[all, all, allButFirst].add_(y10.add(y00, scalars.Of(1)).div(scalars.Of(2.0)), scalars.Of(1));

        var vertical = x10.add(x01, scalars.Of(1)).sub(x11).sub(x00).div(scalars.Of(2));
        var horizontal = y10.add(y01, scalars.Of(1)).sub(y11).sub(y00).div(scalars.Of(2));

        return new PuzzleMixCosts(
            samples, grid, options.Labels, lambda, blockBeta,
            ToArray(own), ToArray(partner), ToArray(vertical), ToArray(horizontal),
            Prior(options.Labels, lambda, options.Eta, blocks));
    }

    /// <summary>
    /// One sample's graph as the reference's <c>graphcut_multi</c> hands it to gco, in int32: the unary cost of each
    /// block and label (label l, of weight λ_l = l / (n − 1), costs (1 − λ_l)·partner + λ_l·own + prior_l), and the
    /// weight of each vertical and horizontal edge, all times <see cref="Scale"/> and truncated, computed in float32
    /// as NumPy 1.x does (the product with the scale in float64 for 16 blocks per side). Label 0 keeps the own image (mask 1), label n − 1 the partner's.
    /// </summary>
    /// <param name="sample">The sample.</param>
    /// <param name="unary">[block, label], blocks² × n.</param>
    /// <param name="vertical">[row, column], (blocks − 1) × blocks.</param>
    /// <param name="horizontal">[row, column], blocks × (blocks − 1).</param>
    public void WriteGraph(int sample, Span<int> unary, Span<int> vertical, Span<int> horizontal)
    {
        var own = OwnUnary(sample);
        var partner = PartnerUnary(sample);
        var blocksSquared = own.Length;
        CheckLength(unary, blocksSquared * Labels, nameof(unary));
        CheckLength(vertical, VerticalPairwise(sample).Length, nameof(vertical));
        CheckLength(horizontal, HorizontalPairwise(sample).Length, nameof(horizontal));

        for (var label = 0; label < Labels; label++)
        {
            // np.linspace(0, 1, n): l · (1 / (n − 1)), the last exactly 1; the float64 scalars are cast to float32.
            var weight = label == Labels - 1 ? 1.0 : label * (1.0 / (Labels - 1));
            var partnerWeight = (float)(1 - weight);
            var ownWeight = (float)weight;
            var prior = (float)this.prior[label];
            for (var block = 0; block < blocksSquared; block++)
            {
                var cost = partnerWeight * partner[block];
                cost += ownWeight * own[block];
                cost += prior;
                unary[block * Labels + label] = Scaled(Scale, cost);
            }
        }
        var verticalTerms = VerticalPairwise(sample);
        for (var edge = 0; edge < vertical.Length; edge++)
            vertical[edge] = EdgeWeight(verticalTerms[edge], Grid.BlockCount, BlockBeta);
        var horizontalTerms = HorizontalPairwise(sample);
        for (var edge = 0; edge < horizontal.Length; edge++)
            horizontal[edge] = EdgeWeight(horizontalTerms[edge], Grid.BlockCount, BlockBeta);
    }

    /// <summary>
    /// An edge's weight as the reference computes it, trunc(1000 · blocks² · (pairwise + β')) in float32, but never
    /// below 0: the α-β swap's graph needs weights ≥ 0. With pixels in [0, 1] and γ ≤ 1 the pairwise term is at least
    /// −β', so this changes nothing there; a larger γ can make it lower, and gco would then get a negative weight.
    /// </summary>
    internal static int EdgeWeight(float pairwise, int blockCount, double blockBeta) =>
        Math.Max(0, Scaled(1000 * blockCount * blockCount, pairwise + (float)blockBeta));

    // NumPy 1.x's `large_val * float32_array`, truncated: value-based casting makes the Python int a uint16 up to
    // 65535, which float32 holds, so blocks up to 8 per side multiply in float32; 16 per side (256000, a uint32)
    // promote the product to float64.
    private static int Scaled(int scale, float value) =>
        scale <= ushort.MaxValue ? (int)(scale * value) : (int)(scale * (double)value);

    /// <summary>
    /// The reference's prior per label: η · (−log of the binomial probability of the label's share, with λ the
    /// probability of the own image, plus 1e-8 against log 0) / blocks², in float64.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The label count is not 2, 3 or 4.</exception>
    internal static double[] Prior(int labels, double lambda, double eta, int blockCount)
    {
        const double epsilon = 1e-8;
        double[] probabilities = labels switch
        {
            2 => [lambda, 1 - lambda],
            3 => [Math.Pow(lambda, 2), 2 * lambda * (1 - lambda), Math.Pow(1 - lambda, 2)],
            4 =>
            [
                Math.Pow(lambda, 3), 3 * Math.Pow(lambda, 2) * (1 - lambda),
                3 * lambda * Math.Pow(1 - lambda, 2), Math.Pow(1 - lambda, 3),
            ],
            _ => throw new ArgumentOutOfRangeException(nameof(labels), labels, Invariant($"labels must be 2, 3 or 4 (was {labels})."))
        };
        var prior = new double[labels];
        for (var label = 0; label < labels; label++)
            prior[label] = eta * -Math.Log(probabilities[label] + epsilon) / (blockCount * blockCount);
        return prior;
    }

    /// <summary>
    /// Each sample's saliency averaged over blocks of <paramref name="size"/> and normalised to sum 1, (N, S/size,
    /// S/size); a sample whose saliency sums to 0 gets 1 / blocks² everywhere.
    /// </summary>
    internal static Tensor BlockSaliency(Tensor saliency, int size)
    {
        using var scalars = new ScalarScope();
        var samples = saliency.shape[0];
        var pooled = avg_pool2d(saliency, size);
        var sums = pooled.reshape(samples, -1).sum(1);
        var empty = sums.eq(scalars.Of(0));
        if (empty.any().item<bool>())
        {
            pooled = where(empty.reshape(samples, 1, 1), ones_like(pooled), pooled);
            sums = pooled.reshape(samples, -1).sum(1);
        }
        return pooled.div(sums.reshape(samples, 1, 1));
    }

    // The reference's neigh_penalty, scaled by β'·γ: the mean absolute difference across each block boundary between
    // the first images' neighbourhoods before it and the second images' after it, averaged along the boundary.
    private static (Tensor Vertical, Tensor Horizontal) NeighbourPenalty(Tensor first, Tensor second, int step, double smoothness)
    {
        using var scalars = new ScalarScope();
        var (all, boundaries) = (TensorIndex.Colon, TensorIndex.Slice(step - 1, null, step));
        var vertical = first[all, all, TensorIndex.Slice(null, -1), all].sub(second[all, all, TensorIndex.Slice(1, null), all]);
        var horizontal = first[all, all, all, TensorIndex.Slice(null, -1)].sub(second[all, all, all, TensorIndex.Slice(1, null)]);
        vertical = vertical[all, all, boundaries, all];
        horizontal = horizontal[all, all, all, boundaries];
        vertical = avg_pool2d(vertical.abs().mean([1]), [1, step]);
        horizontal = avg_pool2d(horizontal.abs().mean([1]), [step, 1]);
        return (vertical.mul(scalars.Of(smoothness)), horizontal.mul(scalars.Of(smoothness)));
    }

    private static float[] ToArray(Tensor tensor) => tensor.cpu().contiguous().data<float>().ToArray();

    private ReadOnlySpan<float> Slice(float[] values, int sample, int length)
    {
        if ((uint)sample >= (uint)Samples)
            throw new ArgumentOutOfRangeException(nameof(sample), sample, Invariant($"sample must be in [0, {Samples}) (was {sample})."));
        return values.AsSpan(sample * length, length);
    }

    private static void CheckLength<T>(Span<T> span, int length, string name)
    {
        if (span.Length != length)
            throw new ArgumentException(Invariant($"{name} must hold {length} values (held {span.Length})."), name);
    }
}

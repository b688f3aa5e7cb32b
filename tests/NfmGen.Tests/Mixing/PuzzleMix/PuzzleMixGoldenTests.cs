using NfmGen.Mixing.PuzzleMix;
using static TorchSharp.torch;

namespace NfmGen.Tests.Mixing.PuzzleMix;

/// <summary>
/// Puzzle Mix against the golden cases of <c>tools/puzzlemix_reference.py</c>, a statement-by-statement transcription of
/// snu-mllab/PuzzleMix's <c>mixup.py</c> run with PyTorch 1.13 on CPU: the integer costs that gco receives, exactly,
/// and, for the label grid stored with each case, the transport plans, transported images and mixed batch.
/// </summary>
public class PuzzleMixGoldenTests
{
    public static TheoryData<string> Cases => new(GoldenPuzzleMix.Cases);

    private static PuzzleMixCosts Costs(GoldenPuzzleMix golden) => PuzzleMixCosts.Compute(
        golden.Inputs(), golden.Saliency(), golden.Permutation(), golden.Grid, golden.Lambda, golden.Options, golden.Normalization);

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_float_terms_before_the_graph_cut_are_the_references(string name)
    {
        var golden = GoldenPuzzleMix.Load(name);
        using var scope = NewDisposeScope();
        var costs = Costs(golden);
        var blocks = golden.BlockCount;
        AssertClose(golden.Array("unary_own").Floats, Concat(costs, blocks * blocks, costs.OwnUnary), 0, "unary_own");
        AssertClose(golden.Array("unary_partner").Floats, Concat(costs, blocks * blocks, costs.PartnerUnary), 0, "unary_partner");
        AssertClose(golden.Array("pw_x_float").Floats, Concat(costs, (blocks - 1) * blocks, costs.VerticalPairwise), 0, "pw_x");
        AssertClose(golden.Array("pw_y_float").Floats, Concat(costs, (blocks - 1) * blocks, costs.HorizontalPairwise), 0, "pw_y");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_integer_costs_that_gco_receives_are_exactly_the_references(string name)
    {
        var golden = GoldenPuzzleMix.Load(name);
        using var scope = NewDisposeScope();
        var costs = Costs(golden);
        var (blocks, labels) = (golden.BlockCount, golden.Labels);
        var expectedUnary = golden.Array("unary_cost").Ints;
        var expectedVertical = golden.Array("pw_x").Ints;
        var expectedHorizontal = golden.Array("pw_y").Ints;
        var unary = new int[blocks * blocks * labels];
        var vertical = new int[(blocks - 1) * blocks];
        var horizontal = new int[blocks * (blocks - 1)];
        for (var sample = 0; sample < GoldenPuzzleMix.Batch; sample++)
        {
            costs.WriteGraph(sample, unary, vertical, horizontal);
            Assert.Equal(expectedUnary.AsSpan(sample * unary.Length, unary.Length).ToArray(), unary);
            Assert.Equal(expectedVertical.AsSpan(sample * vertical.Length, vertical.Length).ToArray(), vertical);
            Assert.Equal(expectedHorizontal.AsSpan(sample * horizontal.Length, horizontal.Length).ToArray(), horizontal);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_label_pair_costs_are_the_references_as_pygco_scales_them(string name)
    {
        var golden = GoldenPuzzleMix.Load(name);
        var reference = golden.Array("pairwise_cost").Floats;
        var ours = GridEnergy.SquaredLabelDistances(golden.Labels, 100);
        for (var a = 0; a < golden.Labels; a++)
        {
            for (var b = 0; b < golden.Labels; b++)
                Assert.Equal((long)(reference[a * golden.Labels + b] * 100f), ours[a, b]);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void On_the_reference_costs_the_labelling_is_a_swap_local_minimum_with_every_block_labelled(string name)
    {
        var golden = GoldenPuzzleMix.Load(name);
        var (blocks, labels) = (golden.BlockCount, golden.Labels);
        var unaryCosts = golden.Array("unary_cost").Longs;
        var verticalWeights = golden.Array("pw_x").Longs;
        var horizontalWeights = golden.Array("pw_y").Longs;
        using var scope = NewDisposeScope();
        var ours = PuzzleMixLabelling.Label(Costs(golden), parallelism: 2);
        var swap = new AlphaBetaSwap();
        for (var sample = 0; sample < GoldenPuzzleMix.Batch; sample++)
        {
            // gco's energy for this sample, divided by 1000: 100 · unary + weight · trunc(100 · V).
            var energy = new GridEnergy(blocks, blocks,
                Table(unaryCosts, sample, blocks * blocks, labels, scale: 100),
                GridEnergy.SquaredLabelDistances(labels, 100),
                Table(verticalWeights, sample, blocks - 1, blocks, scale: 1),
                Table(horizontalWeights, sample, blocks, blocks - 1, scale: 1));
            var labelling = ours.AsSpan(sample * blocks * blocks, blocks * blocks).ToArray();
            Assert.All(labelling, label => Assert.InRange(label, 0, labels - 1));
            var before = energy.Evaluate(labelling);
            for (var alpha = 0; alpha < labels; alpha++)
            {
                for (var beta = alpha + 1; beta < labels; beta++)
                {
                    var moved = (int[])labelling.Clone();
                    Assert.False(swap.TrySwap(energy, moved, alpha, beta), $"sample {sample}: a {alpha}-{beta} swap lowers the energy");
                    Assert.Equal(before, energy.Evaluate(moved));
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void For_the_stored_labels_transport_and_the_mix_are_the_references(string name)
    {
        var golden = GoldenPuzzleMix.Load(name);
        using var scope = NewDisposeScope();
        var (inputs, saliency, permutation, grid, options) = (golden.Inputs(), golden.Saliency(), golden.Permutation(), golden.Grid, golden.Options);
        var masks = PuzzleMixLabelling.Masks(golden.Array("labels").Ints, GoldenPuzzleMix.Batch, golden.BlockCount, golden.Labels, CPU);
        var noise = golden.Noise();

        // The stages one by one, as MixWithMasks runs them.
        var (mean, std) = (tensor(golden.Normalization.Mean.ToArray(), [1, golden.Channels, 1, 1]), tensor(golden.Normalization.Std.ToArray(), [1, golden.Channels, 1, 1]));
        var own = golden.Adversarial ? inputs.mul(std).add(mean).add(noise).clamp(0, 1).sub(mean).div(std) : inputs;
        var partner = inputs.index_select(0, permutation);
        if (golden.Adversarial)
            partner = partner.mul(std).add(mean).add(noise.index_select(0, permutation)).clamp(0, 1).sub(mean).div(std);
        var transportMasks = grid.TransportSize < grid.BlockSize
            ? nn.functional.interpolate(masks, [grid.TransportBlockCount, grid.TransportBlockCount])
            : masks;
        var ownSaliency = PuzzleMixCosts.BlockSaliency(saliency, grid.TransportSize);
        var ownPlan = PuzzleMixTransport.Plan(transportMasks, ownSaliency, options.TransportCost);
        var partnerPlan = PuzzleMixTransport.Plan(transportMasks.neg().add(1), ownSaliency.index_select(0, permutation), options.TransportCost);
        AssertClose(golden.Array("plan1").Floats, ownPlan, 0, "plan1");
        AssertClose(golden.Array("plan2").Floats, partnerPlan, 0, "plan2");
        var ownSources = PuzzleMixTransport.Sources(transportMasks, ownSaliency, options.TransportCost);
        var partnerSources = PuzzleMixTransport.Sources(transportMasks.neg().add(1), ownSaliency.index_select(0, permutation), options.TransportCost);
        AssertClose(golden.Array("transported1").Floats, PuzzleMixTransport.Apply(own, ownSources, grid.TransportSize), 1e-6, "transported1");
        AssertClose(golden.Array("transported2").Floats, PuzzleMixTransport.Apply(partner, partnerSources, grid.TransportSize), 1e-6, "transported2");

        var (mixed, shares) = PuzzleMixImages.MixWithMasks(
            inputs, saliency, permutation, grid, masks, options, golden.Normalization,
            golden.Adversarial ? noise : null, golden.Adversarial, golden.Adversarial);
        AssertClose(golden.Array("mixed").Floats, mixed, 1e-6, "mixed");
        AssertClose(golden.Array("ratio").Floats, shares, 1e-6, "ratio");
    }

    private static float[] Concat(PuzzleMixCosts costs, int length, Func<int, ReadOnlySpan<float>> perSample)
    {
        var values = new float[costs.Samples * length];
        for (var sample = 0; sample < costs.Samples; sample++)
            perSample(sample).CopyTo(values.AsSpan(sample * length));
        return values;
    }

    private static long[,] Table(long[] values, int sample, int rows, int columns, long scale)
    {
        var table = new long[rows, columns];
        for (var row = 0; row < rows; row++)
        {
            for (var column = 0; column < columns; column++)
                table[row, column] = scale * values[(sample * rows + row) * columns + column];
        }
        return table;
    }

    private static void AssertClose(float[] expected, Tensor actual, double tolerance, string what) =>
        AssertClose(expected, actual.cpu().contiguous().data<float>().ToArray(), tolerance, what);

    private static void AssertClose(float[] expected, float[] actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var index = 0; index < expected.Length; index++)
        {
            if (!(Math.Abs(expected[index] - actual[index]) <= tolerance))
                Assert.Fail($"{what}[{index}]: expected {expected[index]:R}, was {actual[index]:R} (tolerance {tolerance})");
        }
    }
}

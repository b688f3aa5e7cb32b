using NfmGen.Mixing.PuzzleMix;
namespace NfmGen.Tests.Mixing.PuzzleMix;

public class PuzzleMixOptionsTests
{
    [Fact]
    public void The_defaults_are_the_official_CIFAR_settings_and_valid()
    {
        var options = new PuzzleMixOptions();
        options.Validate();
        Assert.Equal(
            new PuzzleMixOptions(Alpha: 1.0, Labels: 3, Eta: 0.2, Beta: 1.2, Gamma: 0.5, NeighbourSize: 4, Transport: true,
                TransportSize: 4, TransportCost: 0.8, AdversarialProbability: 0, AdversarialEpsilon: 10),
            options);
    }

    // PuzzleMixOptions is internal: a theory names each case by its index.
    private static readonly (PuzzleMixOptions Options, string Name, string Value)[] Bad =
    [
        (new PuzzleMixOptions(Alpha: 0), "Alpha", "(was 0)"),
        (new PuzzleMixOptions(Alpha: double.NaN), "Alpha", "(was NaN)"),
        (new PuzzleMixOptions(Labels: 1), "Labels", "(was 1)"),
        (new PuzzleMixOptions(Labels: 5), "Labels", "(was 5)"),
        (new PuzzleMixOptions(Eta: -0.1), "Eta", "(was -0.1)"),
        (new PuzzleMixOptions(Beta: -2), "Beta", "(was -2)"),
        (new PuzzleMixOptions(Gamma: -1), "Gamma", "(was -1)"),
        (new PuzzleMixOptions(NeighbourSize: 0), "NeighbourSize", "(was 0)"),
        (new PuzzleMixOptions(TransportSize: 0), "TransportSize", "(was 0)"),
        (new PuzzleMixOptions(TransportSize: -2), "TransportSize", "(was -2)"),
        (new PuzzleMixOptions(TransportCost: -0.5), "TransportCost", "(was -0.5)"),
        (new PuzzleMixOptions(AdversarialProbability: 1.5), "AdversarialProbability", "(was 1.5)"),
        (new PuzzleMixOptions(AdversarialEpsilon: -1), "AdversarialEpsilon", "(was -1)"),
    ];

    public static TheoryData<int> BadOptions => new(Enumerable.Range(0, Bad.Length));

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void A_setting_out_of_range_is_refused_by_name_and_value(int index)
    {
        var (options, name, value) = Bad[index];
        var error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Equal(name, error.ParamName);
        Assert.Contains(value, error.Message);
    }

    [Fact]
    public void Transport_size_minus_one_and_the_edges_of_the_ranges_are_accepted()
    {
        new PuzzleMixOptions(TransportSize: -1, Labels: 2, Eta: 0, Beta: 0, Gamma: 0, TransportCost: 0, AdversarialProbability: 1, AdversarialEpsilon: 0).Validate();
        new PuzzleMixOptions(Labels: 4, NeighbourSize: 1, TransportSize: 1).Validate();
    }

    [Theory]
    [InlineData(32, new[] { 2, 4, 8, 16 })]
    [InlineData(28, new[] { 2, 4 })]
    [InlineData(64, new[] { 2, 4, 8, 16 })]
    [InlineData(6, new[] { 2 })]
    [InlineData(2, new[] { 2 })]
    public void Block_counts_are_those_of_2_4_8_16_that_divide_the_side(int side, int[] counts) =>
        Assert.Equal(counts, PuzzleMixImages.BlockCounts(side));

    [Theory]
    [InlineData(7)]
    [InlineData(1)]
    [InlineData(0)]
    public void A_side_that_none_divides_is_refused_by_name(int side)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => PuzzleMixImages.BlockCounts(side));
        Assert.Contains($"(was {side})", error.Message);
    }

    [Theory]
    [InlineData(2, 16, 4, 4)]
    [InlineData(4, 8, 4, 4)]
    [InlineData(8, 4, 4, 4)]
    [InlineData(16, 2, 2, 2)]
    public void On_32_pixels_the_official_sizes_are_the_references_min_of_size_and_block(int blocks, int blockSize, int neighbour, int transport)
    {
        var grid = PuzzleMixGrid.For(32, blocks, new PuzzleMixOptions());
        Assert.Equal(new PuzzleMixGrid(32, blocks, blockSize, neighbour, transport), grid);
        Assert.Equal(32 / transport, grid.TransportBlockCount);
    }

    [Theory]
    // Fashion-MNIST: blocks of 14 take 2 (the largest divisor of 14 up to 4) for both; blocks of 7 have no divisor
    // but 1 up to 4, so neighbourhoods of 1 pixel and transport on the graph-cut blocks.
    [InlineData(28, 2, 4, 4, 14, 2, 2)]
    [InlineData(28, 4, 4, 4, 7, 1, 7)]
    // t_size -1: the graph-cut blocks, as in the reference.
    [InlineData(32, 4, 4, -1, 8, 4, 8)]
    // A transport size that comes down to 1 on larger blocks: the graph-cut blocks (no 32² x 32² cost matrix).
    [InlineData(32, 2, 4, 1, 16, 4, 16)]
    [InlineData(32, 16, 1, 1, 2, 1, 2)]
    // Sizes that do not divide the block side come down to the largest divisor below them.
    [InlineData(32, 2, 3, 6, 16, 2, 4)]
    [InlineData(48, 4, 5, 5, 12, 4, 4)]
    public void Sizes_that_do_not_divide_the_block_side_come_down_to_a_divisor(
        int side, int blocks, int neighbourOption, int transportOption, int blockSize, int neighbour, int transport)
    {
        var options = new PuzzleMixOptions(NeighbourSize: neighbourOption, TransportSize: transportOption);
        Assert.Equal(new PuzzleMixGrid(side, blocks, blockSize, neighbour, transport), PuzzleMixGrid.For(side, blocks, options));
    }

    [Fact]
    public void A_block_count_that_the_side_does_not_allow_is_refused_with_the_allowed_ones()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => PuzzleMixGrid.For(28, 8, new PuzzleMixOptions()));
        Assert.Equal("blockCount", error.ParamName);
        Assert.Contains("one of 2, 4 for images of side 28 (was 8)", error.Message);
    }
}

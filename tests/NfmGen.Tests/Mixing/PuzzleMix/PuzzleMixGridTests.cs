using NfmGen.Data;
using NfmGen.Mixing.PuzzleMix;
using static TorchSharp.torch;

namespace NfmGen.Tests.Mixing.PuzzleMix;

/// <summary>The sizes <see cref="PuzzleMixGrid.For"/> chooses: the reference's on 32-pixel images, a bounded transport grid on large ones.</summary>
public class PuzzleMixGridTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(16)]
    public void On_32_pixel_images_the_sizes_are_the_references(int blocks)
    {
        var grid = PuzzleMixGrid.For(32, blocks, new PuzzleMixOptions());

        // mixup.py: block_size = 32 // n, neigh_size = min(4, block_size), t_size = min(4, block_size).
        var blockSize = 32 / blocks;
        Assert.Equal(new PuzzleMixGrid(32, blocks, blockSize, Math.Min(4, blockSize), Math.Min(4, blockSize)), grid);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(16)]
    public void On_224_pixel_images_the_transport_grid_has_at_most_16_blocks_a_side(int blocks)
    {
        var grid = PuzzleMixGrid.For(224, blocks, new PuzzleMixOptions());

        Assert.InRange(grid.TransportBlockCount, 2, PuzzleMixGrid.MaxTransportBlockCount);
        Assert.Equal(0, grid.BlockSize % grid.TransportSize);
        Assert.Equal(224, grid.TransportSize * grid.TransportBlockCount);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(16)]
    public void A_batch_of_224_pixel_images_mixes_with_transport(int blocks)
    {
        using var scope = NewDisposeScope();
        var grey = Normalization.ImageNetGrey;
        using var generator = new TorchSharp.torch.Generator(7, CPU);
        var inputs = grey.Normalize(rand([2, 1, 224, 224], generator: generator));
        var saliency = rand([2, 224, 224], generator: generator);

        var (mixed, shares) = PuzzleMixImages.Mix(
            inputs, saliency, tensor(new long[] { 1, 0 }), blocks, 0.5, new PuzzleMixOptions(), grey, parallelism: 1);

        Assert.Equal(inputs.shape, mixed.shape);
        Assert.Equal([2L], shares.shape);
        Assert.True(mixed.isfinite().all().item<bool>());
    }

    [Fact]
    public void Transport_refuses_a_grid_wider_than_the_references_largest()
    {
        using var scope = NewDisposeScope();
        var wide = PuzzleMixGrid.MaxTransportBlockCount + 1;

        var matrix = Assert.Throws<ArgumentOutOfRangeException>(() => PuzzleMixTransport.CostMatrix(wide, CPU));
        var sources = Assert.Throws<ArgumentOutOfRangeException>(
            () => PuzzleMixTransport.Sources(ones(1, 1, wide, wide), ones(1, wide, wide), 0.8));

        Assert.Contains($"2 to 16 blocks a side, as the reference's (was {wide})", matrix.Message);
        Assert.Contains($"(was {wide})", sources.Message);
        Assert.Equal([256L, 256L], PuzzleMixTransport.CostMatrix(16, CPU).shape);
    }
}

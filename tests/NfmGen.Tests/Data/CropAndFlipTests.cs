using NfmGen.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace NfmGen.Tests.Data;

/// <summary>The crop is a window of the zero-padded image and the flip its mirror, for every sample of a batch at once.</summary>
public sealed class CropAndFlipTests
{
    private const int Padding = CropAndFlip.DefaultPadding;

    /// <summary>Images with no zero pixels, not square, so that the padding and swapped axes both show.</summary>
    private static Tensor Images(int n, int h = 6, int w = 5)
    {
        using var generator = new torch.Generator(11);
        return randint(1, 256, [n, 2, h, w], ScalarType.Int64, generator: generator).to_type(ScalarType.Byte);
    }

    [Fact]
    public void Each_sample_is_the_window_of_its_zero_padded_image_at_its_offset_mirrored_where_flipped()
    {
        using var scope = NewDisposeScope();
        var images = Images(4);
        var offsets = tensor(new long[] { 0, 0, 8, 8, 3, 5, 8, 1 }, [4, 2]);
        var flips = tensor(new[] { false, true, false, true });

        var result = CropAndFlip.Apply(images, offsets, flips);

        var padded = nn.functional.pad(images, [Padding, Padding, Padding, Padding]);
        Assert.Equal(images.shape, result.shape);
        Assert.Equal(ScalarType.Byte, result.dtype);
        for (var n = 0; n < 4; n++)
        {
            var window = padded[n].narrow(1, offsets[n, 0].item<long>(), 6).narrow(2, offsets[n, 1].item<long>(), 5);
            var expected = flips[n].item<bool>() ? window.flip(2) : window;
            Assert.True(result[n].Identical(expected), $"sample {n}");
        }
    }

    [Fact]
    public void The_centre_offset_without_flip_is_the_image_itself_and_a_corner_shows_the_zero_padding()
    {
        using var scope = NewDisposeScope();
        var images = Images(2);
        var result = CropAndFlip.Apply(images, tensor(new long[] { Padding, Padding, 0, 0 }, [2, 2]), tensor(new[] { false, false }));

        Assert.True(result[0].Identical(images[0]));
        Assert.Equal(0, result[1, .., ..Padding, ..].count_nonzero().item<long>());
        Assert.True(result[1, .., Padding.., Padding..].Identical(images[1, .., ..^Padding, ..^Padding]));
    }

    [Fact]
    public void Sampled_parameters_cover_the_offsets_and_both_flips()
    {
        using var scope = NewDisposeScope();
        using var generator = new torch.Generator(3);
        var (offsets, flips) = CropAndFlip.SampleParameters(2000, generator);

        Assert.Equal([2000L, 2L], offsets.shape);
        Assert.Equal(ScalarType.Bool, flips.dtype);
        Assert.Equal(0, offsets.min().item<long>());
        Assert.Equal(2 * Padding, offsets.max().item<long>());
        Assert.InRange(flips.sum().item<long>(), 900, 1100);
    }

    [Fact]
    public void Parameters_that_do_not_match_the_batch_are_refused()
    {
        using var scope = NewDisposeScope();
        var error = Assert.Throws<ArgumentException>(() => CropAndFlip.Apply(Images(3), zeros([2, 2], ScalarType.Int64), zeros(3, ScalarType.Bool)));

        Assert.Equal("offsets must be [3, 2] and flips [3] for 3 images (were [2, 2] and [3]).", error.Message);
    }
}

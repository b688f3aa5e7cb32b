using NfmGen.Data;
using static TorchSharp.torch;

namespace NfmGen.Tests.Data;

/// <summary>Normalisation maps 0..255 pixels to (x/255 - mean)/std and reports the range it maps them to.</summary>
public sealed class NormalizationTests
{
    [Fact]
    public void Black_and_white_pixels_land_on_the_reported_range()
    {
        using var scope = NewDisposeScope();
        var n = Normalization.Cifar10;
        var pixels = stack([zeros([3, 2, 2], ScalarType.Byte), full([3, 2, 2], 255, ScalarType.Byte)]);

        var normalized = n.Normalize(pixels);

        Assert.True(normalized[0].amin([1, 2]).allclose(tensor(n.NormalizedMinimum.ToArray())));
        Assert.True(normalized[1].amax([1, 2]).allclose(tensor(n.NormalizedMaximum.ToArray())));
        Assert.Equal(-0.4914f / 0.2023f, n.NormalizedMinimum[0], 5);
        Assert.Equal((1 - 0.2860f) / 0.3530f, Normalization.FashionMnist.NormalizedMaximum[0], 5);
    }

    [Fact]
    public void Float_pixels_are_taken_to_be_in_zero_to_one()
    {
        using var scope = NewDisposeScope();
        var bytes = full([1, 1, 2, 2], 51, ScalarType.Byte);

        Assert.True(Normalization.Mnist.Normalize(bytes).allclose(Normalization.Mnist.Normalize(full([1, 1, 2, 2], 0.2f))));
    }

    [Fact]
    public void ToPixels_is_x_times_std_plus_mean_and_undoes_Normalize()
    {
        using var scope = NewDisposeScope();
        var n = Normalization.Cifar10;
        using var generator = new TorchSharp.torch.Generator(3, CPU);
        var inputs = randn([2, 3, 4, 4], generator: generator);

        var pixels = n.ToPixels(inputs);

        // The float32 products and sums the Puzzle Mix golden tests were made with, element by element.
        var (x, p) = (inputs.data<float>().ToArray(), pixels.data<float>().ToArray());
        for (var i = 0; i < x.Length; i++)
        {
            var channel = i / 16 % 3;
            Assert.Equal(x[i] * n.Std[channel] + n.Mean[channel], p[i]);
        }
        var bytes = randint(0, 256, [2, 3, 4, 4], ScalarType.Byte, generator: generator);
        Assert.True(n.ToPixels(n.Normalize(bytes)).allclose(bytes.to_type(ScalarType.Float32).div(255), rtol: 0, atol: 1e-6));
        Assert.Equal(ScalarType.Float64, n.ToPixels(inputs.to_type(ScalarType.Float64)).dtype);
    }

    [Fact]
    public void ToPixels_refuses_other_channels_and_integer_images_naming_them()
    {
        using var bytes = zeros([1, 3, 2, 2], ScalarType.Byte);
        using var grey = zeros([1, 1, 2, 2]);

        Assert.StartsWith("inputs must be floating-point [N, 3, H, W] for this normalisation (were Byte [1, 3, 2, 2])",
            Assert.Throws<ArgumentException>(() => Normalization.Cifar10.ToPixels(bytes)).Message);
        Assert.StartsWith("inputs must be floating-point [N, 3, H, W] for this normalisation (were Float32 [1, 1, 2, 2])",
            Assert.Throws<ArgumentException>(() => Normalization.Cifar10.ToPixels(grey)).Message);
    }

    [Fact]
    public void Bad_statistics_and_shapes_are_refused_with_the_value()
    {
        Assert.StartsWith("std must be > 0 and finite (channel 1 was 0)", Assert.Throws<ArgumentException>(() => new Normalization([0.5f, 0.5f], [1f, 0f])).Message);
        Assert.StartsWith("mean and std need one value per channel, at least one (were 2 and 1 values)", Assert.Throws<ArgumentException>(() => new Normalization([0.5f, 0.5f], [1f])).Message);
        using var images = zeros([1, 3, 2, 2]);
        Assert.StartsWith("images must be [N, 1, H, W] for this normalisation (were [1, 3, 2, 2])", Assert.Throws<ArgumentException>(() => Normalization.Mnist.Normalize(images)).Message);
    }
}

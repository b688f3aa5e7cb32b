using NfmGen.Data;
using NfmGen.Robustness;
using NfmGen.Tests.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace NfmGen.Tests.Robustness;

/// <summary>White noise: the right size in the right space, clipped only where the definition says, and reproducible.</summary>
public sealed class WhiteNoiseTests
{
    [Fact]
    public void Standard_noise_has_std_sigma_in_pixel_space()
    {
        using var scope = NewDisposeScope();
        var pixels = full([16, 3, 8, 8], 0.5f);
        using var generator = new torch.Generator(1, CPU);

        var noise = WhiteNoise.AddToPixels(pixels, 0.1, generator) - pixels;

        Assert.Equal(0.1, noise.std().item<float>(), 0.005);
        Assert.Equal(0.0, noise.mean().item<float>(), 0.005);
    }

    [Fact]
    public void Standard_noise_is_clipped_to_the_pixel_range()
    {
        using var scope = NewDisposeScope();
        var pixels = TinyClassifiers.RandomImages(16, 3, 8, seed: 2).to_type(ScalarType.Float32) / 255;
        using var generator = new torch.Generator(2, CPU);

        var noisy = WhiteNoise.AddToPixels(pixels, 0.5, generator);

        Assert.Equal(0f, noisy.min().item<float>());
        Assert.Equal(1f, noisy.max().item<float>());
    }

    [Fact]
    public void Reference_noise_has_std_sigma_in_normalised_space_and_is_not_clipped()
    {
        using var scope = NewDisposeScope();
        var normalization = Normalization.Cifar10;
        var inputs = normalization.Normalize(TinyClassifiers.RandomImages(16, 3, 8, seed: 3));
        using var generator = new torch.Generator(3, CPU);

        var noisy = WhiteNoise.AddToInputs(inputs, 1.0, generator);

        Assert.Equal(1.0, (noisy - inputs).std().item<float>(), 0.05);
        // Pixel-space noise of std 1 would be ~1/0.2 = 5 in these units; clipping would keep inside the normalised range.
        Assert.True(noisy.max().item<float>() > normalization.NormalizedMaximum.Max() + 1, "not clipped at the top");
        Assert.True(noisy.min().item<float>() < normalization.NormalizedMinimum.Min() - 1, "not clipped at the bottom");
    }

    [Fact]
    public void The_same_seed_gives_the_same_noise_and_another_seed_other_noise()
    {
        using var scope = NewDisposeScope();
        var pixels = full([4, 3, 8, 8], 0.5f);
        using var first = new torch.Generator(7, CPU);
        using var second = new torch.Generator(7, CPU);
        using var other = new torch.Generator(8, CPU);

        var a = WhiteNoise.AddToPixels(pixels, 0.2, first);

        Assert.True(a.Identical(WhiteNoise.AddToPixels(pixels, 0.2, second)));
        Assert.False(a.Identical(WhiteNoise.AddToPixels(pixels, 0.2, other)));
    }

    [Fact]
    public void A_negative_sigma_is_rejected_with_its_value()
    {
        using var generator = new torch.Generator(1, CPU);
        using var pixels = zeros(1, 1, 2, 2);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => WhiteNoise.AddToPixels(pixels, -0.1, generator));
        Assert.Contains("-0.1", error.Message);
    }
}

using NfmGen.Data;
using NfmGen.Robustness;
using NfmGen.Tests.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace NfmGen.Tests.Robustness;

/// <summary>Salt and pepper: the right number of pixels, half each extreme, whole pixels (standard) or the first channel (reference).</summary>
public sealed class SaltAndPepperTests
{
    [Theory]
    [InlineData(0.1, 5, 5)]
    [InlineData(0.25, 13, 12)] // 25 pixels: the odd one is salt
    [InlineData(0.0, 0, 0)]
    [InlineData(1.0, 50, 50)]
    public void Standard_changes_a_fraction_gamma_of_whole_pixels_half_to_one_half_to_zero(double gamma, long salt, long pepper)
    {
        using var scope = NewDisposeScope();
        var pixels = full([8, 3, 10, 10], 0.5f);
        using var generator = new torch.Generator(4, CPU);

        var noisy = SaltAndPepper.ApplyToPixels(pixels, gamma, generator);

        var white = noisy.eq(1).all(1);   // [B, H, W]: every channel of the pixel is 1
        var black = noisy.eq(0).all(1);
        var changed = noisy.ne(0.5f).any(1);
        Assert.True(white.sum([1, 2]).eq(salt).all().item<bool>(), "salt pixels per image");
        Assert.True(black.sum([1, 2]).eq(pepper).all().item<bool>(), "pepper pixels per image");
        Assert.True(changed.sum([1, 2]).eq(salt + pepper).all().item<bool>(), "no pixel changed in some channels only");
    }

    [Fact]
    public void Standard_chooses_different_pixels_in_each_image_and_repeats_with_the_seed()
    {
        using var scope = NewDisposeScope();
        var pixels = full([4, 3, 10, 10], 0.5f);
        using var first = new torch.Generator(5, CPU);
        using var second = new torch.Generator(5, CPU);

        var a = SaltAndPepper.ApplyToPixels(pixels, 0.1, first);

        Assert.True(a.Identical(SaltAndPepper.ApplyToPixels(pixels, 0.1, second)));
        Assert.False(a[0].Identical(a[1]), "images 0 and 1 got the same pixels");
    }

    [Fact]
    public void Reference_changes_only_the_first_channel_to_the_images_own_extremes()
    {
        using var scope = NewDisposeScope();
        // Channel 0 holds 20 darkest (0.1) and 20 brightest (0.9) pixels, so its extremes survive either draw.
        const long count = 32, side = 10, area = side * side;
        using var source = new torch.Generator(6, CPU);
        var pixels = rand([count, 3, side, side], generator: source).mul_(0.4f).add_(0.3f);
        var first = pixels.select(1, 0).view(count, area);
        first[.., ..20] = tensor(0.1f);
        first[.., 20..40] = tensor(0.9f);
        var inputs = Normalization.Cifar10.Normalize(pixels);
        float low = (0.1f - 0.4914f) / 0.2023f, high = (0.9f - 0.4914f) / 0.2023f;
        using var generator = new torch.Generator(6, CPU);

        var noisy = SaltAndPepper.ApplyToInputsAsReference(inputs, 0.1, generator);

        Assert.True(noisy[.., 1..].Identical(inputs[.., 1..]), "channels 1 and 2 are untouched");
        var before = inputs.select(1, 0).reshape(count, area);
        var after = noisy.select(1, 0).reshape(count, area);
        var changed = after.ne(before);
        var toLow = changed & after.isclose(tensor(low), atol: 1e-5);
        var toHigh = changed & after.isclose(tensor(high), atol: 1e-5);
        Assert.True(changed.eq(toLow | toHigh).all().item<bool>(), "a changed pixel becomes the image's channel-0 min or max");
        // Two draws of ceil(0.1 * 100 / 2) = 5 positions each; only the 60 mid-grey positions show a change.
        long perImageMax = changed.sum(1).max().item<long>();
        Assert.True(perImageMax <= 10, $"at most 2 x 5 pixels change per image (was {perImageMax})");
        Assert.InRange(toLow.sum().item<long>(), count * 5 * 40 / 100, count * 5);
        Assert.InRange(toHigh.sum().item<long>(), count * 5 * 40 / 100, count * 5);
    }

    [Fact]
    public void A_gamma_outside_zero_to_one_is_rejected_with_its_value()
    {
        using var generator = new torch.Generator(1, CPU);
        using var pixels = zeros(1, 3, 2, 2);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => SaltAndPepper.ApplyToPixels(pixels, 1.5, generator));
        Assert.Contains("1.5", error.Message);
        Assert.Contains("[0, 1]", error.Message);
    }
}

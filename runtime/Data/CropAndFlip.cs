using NfmGen.Network;
using static TorchSharp.torch;

namespace NfmGen.Data;

/// <summary>
/// The CIFAR training augmentation, per sample and vectorised over the batch: a random crop of the image
/// zero-padded by <c>padding</c> pixels on each side, then a random horizontal flip. Sampling the parameters
/// (<see cref="SampleParameters"/>) is separate from applying them (<see cref="Apply"/>), so the same
/// parameters can be replayed and tested.
/// </summary>
internal static class CropAndFlip
{
    /// <summary>The padding of the CIFAR recipe, in pixels.</summary>
    public const int DefaultPadding = 4;

    /// <summary>
    /// Draws parameters for <paramref name="count"/> samples from <paramref name="generator"/>, on the generator's device:
    /// <c>Offsets</c> int64 <c>[count, 2]</c> (top, left of the crop in the padded image, each in 0..2*padding) and
    /// <c>Flips</c> bool <c>[count]</c> (mirror the crop), each with probability 1/2.
    /// </summary>
    public static (Tensor Offsets, Tensor Flips) SampleParameters(long count, Generator generator, int padding = DefaultPadding)
    {
        CheckPadding(padding);
        var offsets = randint(0, 2 * padding + 1, [count, 2], ScalarType.Int64, generator.device, generator: generator);
        var flips = randint(0, 2, [count], ScalarType.Int64, generator.device, generator: generator);
        using (flips)
            return (offsets, flips.to_type(ScalarType.Bool));
    }

    /// <summary>
    /// Crops and flips a batch <c>[N, C, H, W]</c> of any dtype on its own device. The result has the input's shape:
    /// sample n is the window at <c>Offsets[n]</c> of the image zero-padded by <paramref name="padding"/>, mirrored
    /// left-right where <c>Flips[n]</c>. Pad with zero pixels before normalising, as the recipe does.
    /// </summary>
    /// <exception cref="ArgumentException">The parameters are not int64 offsets <c>[N, 2]</c> and bool flips <c>[N]</c>.</exception>
    public static Tensor Apply(Tensor images, Tensor offsets, Tensor flips, int padding = DefaultPadding)
    {
        CheckPadding(padding);
        if (images.dim() != 4)
            throw new ArgumentException($"images must be [N, C, H, W] (were [{string.Join(", ", images.shape)}]).", nameof(images));
        long n = images.shape[0], c = images.shape[1], h = images.shape[2], w = images.shape[3];
        if (offsets.dtype != ScalarType.Int64 || flips.dtype != ScalarType.Bool)
            throw new ArgumentException($"offsets must be int64 and flips bool (were {offsets.dtype} and {flips.dtype}).");
        if (!offsets.shape.SequenceEqual([n, 2]) || !flips.shape.SequenceEqual([n]))
            throw new ArgumentException(
                $"offsets must be [{n}, 2] and flips [{n}] for {n} images (were [{string.Join(", ", offsets.shape)}] and [{string.Join(", ", flips.shape)}]).");

        using var scope = NewDisposeScope();
        var device = images.device;
        var padded = nn.functional.pad(images, [padding, padding, padding, padding]);
        var top = offsets.select(1, 0).to(device).unsqueeze(1);
        var left = offsets.select(1, 1).to(device).unsqueeze(1);
        using var scalars = new ScalarScope();
        var columns = arange(scalars.Of(0), scalars.Of(w), scalars.Of(1), ScalarType.Int64, device);

        // Row and column of the padded image that each output pixel reads; a flip reads the window's columns backwards
        // (w - 1 - columns, as -columns + (w - 1)).
        var rows = top.add(arange(scalars.Of(0), scalars.Of(h), scalars.Of(1), ScalarType.Int64, device), scalars.Of(1));             // [N, H]
        var cols = left.add(where(flips.to(device).unsqueeze(1), columns.negative().add(scalars.Of(w - 1), scalars.Of(1)), columns), scalars.Of(1)); // [N, W]

        var pickedRows = padded.gather(2, rows.view(n, 1, h, 1).expand(n, c, h, w + 2 * padding));
        return pickedRows.gather(3, cols.view(n, 1, 1, w).expand(n, c, h, w)).MoveToOuterDisposeScope();
    }

    private static void CheckPadding(int padding)
    {
        if (padding < 0)
            throw new ArgumentOutOfRangeException(nameof(padding), padding, "padding must be >= 0.");
    }
}

using NfmGen.Network;
using NfmGen.Randomness;
using static TorchSharp.torch;

namespace NfmGen.Robustness;

/// <summary>
/// Salt-and-pepper noise of density γ: a fraction of each image's pixels replaced by the brightest or darkest value,
/// chosen with an explicit generator so that the same seed gives the same pixels. <see cref="ApplyToPixels"/> is the
/// standard definition, <see cref="ApplyToInputsAsReference"/> the NFM reference code's (see <see cref="NoiseVariant"/>).
/// </summary>
internal static class SaltAndPepper
{
    /// <summary>
    /// Standard variant, in pixel space [0, 1] before normalisation: in each image, round(γ·H·W) distinct pixel
    /// positions are chosen; half of them (the odd one out included) become salt, 1 in every channel, the other half
    /// pepper, 0 in every channel. A chosen pixel changes in all its channels together.
    /// </summary>
    /// <param name="pixels">Floating-point pixels in [0, 1], <c>[B, C, H, W]</c>, on the generator's device.</param>
    /// <param name="gamma">The fraction of pixels changed, in [0, 1].</param>
    /// <param name="generator">The source of the choice; one uniform draw per pixel position.</param>
    /// <returns>A new tensor of the same shape and dtype.</returns>
    public static Tensor ApplyToPixels(Tensor pixels, double gamma, Generator generator)
    {
        var (batch, area) = Check(pixels, gamma);
        using var scope = NewDisposeScope();
        long changed = (long)Math.Round(gamma * area, MidpointRounding.AwayFromZero);
        long salt = changed - changed / 2;
        var order = RandomOrder(batch, area, pixels.device, generator);
        var saltMask = Mask(order.narrow(1, 0, salt), batch, area).view(PixelMaskShape(pixels));
        var pepperMask = Mask(order.narrow(1, salt, changed - salt), batch, area).view(PixelMaskShape(pixels));
        using var scalars = new ScalarScope();
        return pixels.masked_fill(saltMask, scalars.Of(1)).masked_fill_(pepperMask, scalars.Of(0)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Reference variant, in normalised space, on the first channel only, as the <c>sp</c> function of erichson/NFM's
    /// <c>evaluate.py</c> (checked against its source): per image, ceil(γ·H·W/2) distinct positions of channel 0 are set
    /// to that channel's minimum in the image, then an independent draw of as many positions is set to the channel's
    /// maximum after that step. The draws may overlap, so up to γ·H·W pixels change; the other channels never do. The
    /// extremes are the image's own, not <see cref="Data.Normalization.NormalizedMinimum"/>/<c>Maximum</c>. Unlike the
    /// reference, which reseeds NumPy with 12345 for every batch, the positions come from <paramref name="generator"/>.
    /// </summary>
    /// <param name="inputs">Normalised network inputs <c>[B, C, H, W]</c>, on the generator's device.</param>
    /// <param name="gamma">The density, in [0, 1].</param>
    /// <param name="generator">The source of the choice; two uniform draws per pixel position.</param>
    /// <returns>A new tensor of the same shape and dtype.</returns>
    public static Tensor ApplyToInputsAsReference(Tensor inputs, double gamma, Generator generator)
    {
        var (batch, area) = Check(inputs, gamma);
        using var scope = NewDisposeScope();
        // The reference computes ceil(amount * image.size * 0.5) in float64, in that order; so does this.
        long perDraw = (long)Math.Ceiling(gamma * area * 0.5);
        var first = inputs.select(1, 0).reshape(batch, area);
        var lowMask = Mask(RandomOrder(batch, area, inputs.device, generator).narrow(1, 0, perDraw), batch, area);
        first = where(lowMask, first.amin([1], keepdim: true), first);
        var highMask = Mask(RandomOrder(batch, area, inputs.device, generator).narrow(1, 0, perDraw), batch, area);
        first = where(highMask, first.amax([1], keepdim: true), first);

        var result = inputs.clone();
        result.select(1, 0).copy_(first.view(batch, inputs.shape[2], inputs.shape[3]));
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>A uniformly random permutation of each image's pixel positions, <c>[batch, area]</c>.</summary>
    private static Tensor RandomOrder(long batch, long area, Device device, Generator generator) =>
        DeviceRandom.Rand([batch, area], ScalarType.Float32, device, generator).argsort(1);

    /// <summary>True at the given positions of each row, <c>[batch, area]</c>.</summary>
    private static Tensor Mask(Tensor positions, long batch, long area) =>
        zeros([batch, area], ScalarType.Bool, positions.device).scatter_(1, positions, ones(positions.shape, ScalarType.Bool, positions.device));

    private static long[] PixelMaskShape(Tensor images) => [images.shape[0], 1, images.shape[2], images.shape[3]];

    private static (long Batch, long Area) Check(Tensor images, double gamma)
    {
        if (!(gamma >= 0 && gamma <= 1))
            throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "gamma (a fraction of pixels) must be in [0, 1].");
        if (images.dim() != 4)
            throw new ArgumentException($"images must be [B, C, H, W] (were [{string.Join(", ", images.shape)}]).", nameof(images));
        return (images.shape[0], images.shape[2] * images.shape[3]);
    }
}

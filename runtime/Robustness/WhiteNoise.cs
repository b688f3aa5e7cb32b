using NfmGen.Network;
using NfmGen.Randomness;
using static TorchSharp.torch;

namespace NfmGen.Robustness;

/// <summary>
/// Additive white (Gaussian) noise of standard deviation σ, drawn from an explicit generator so that the same seed gives
/// the same noise. <see cref="AddToPixels"/> is the standard definition, <see cref="AddToInputs"/> the NFM reference
/// code's (see <see cref="NoiseVariant"/>).
/// </summary>
internal static class WhiteNoise
{
    /// <summary>
    /// Standard variant, in pixel space: <c>clip(x + σ·n, 0, 1)</c> with n ~ N(0, 1) per element, on pixels x in [0, 1]
    /// before normalisation. σ is in pixel units, so σ = 0.1 is a tenth of the full intensity range.
    /// </summary>
    /// <param name="pixels">Floating-point pixels in [0, 1], any shape, on the generator's device.</param>
    /// <param name="sigma">The standard deviation, finite and &gt;= 0.</param>
    /// <param name="generator">The source of the noise; it advances by one draw per element.</param>
    /// <returns>A new tensor of the same shape and dtype, in [0, 1].</returns>
    public static Tensor AddToPixels(Tensor pixels, double sigma, Generator generator)
    {
        RequireSigma(sigma);
        using var scope = NewDisposeScope();
        using var scalars = new ScalarScope();
        return Noise(pixels, sigma, generator).add_(pixels, scalars.Of(1)).clamp_(scalars.Of(0), scalars.Of(1)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Reference variant, in normalised space: <c>z + σ·n</c> on the network inputs z = (x - mean) / std, not clipped,
    /// as erichson/NFM's <c>cls_noisy_validate</c>. Per channel this is pixel-space noise of std σ·std_c, and inputs
    /// may leave the range real images map to.
    /// </summary>
    /// <param name="inputs">Normalised network inputs, any shape, on the generator's device.</param>
    /// <param name="sigma">The standard deviation in normalised units, finite and &gt;= 0.</param>
    /// <param name="generator">The source of the noise; it advances by one draw per element.</param>
    /// <returns>A new tensor of the same shape and dtype.</returns>
    public static Tensor AddToInputs(Tensor inputs, double sigma, Generator generator)
    {
        RequireSigma(sigma);
        using var scope = NewDisposeScope();
        using var scalars = new ScalarScope();
        return Noise(inputs, sigma, generator).add_(inputs, scalars.Of(1)).MoveToOuterDisposeScope();
    }

    private static Tensor Noise(Tensor like, double sigma, Generator generator)
    {
        using var scalars = new ScalarScope();
        return DeviceRandom.Randn(like.shape, like.dtype, like.device, generator).mul_(scalars.Of(sigma));
    }

    private static void RequireSigma(double sigma)
    {
        if (!(sigma >= 0) || double.IsInfinity(sigma))
            throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "sigma (a standard deviation) must be >= 0 and finite.");
    }
}

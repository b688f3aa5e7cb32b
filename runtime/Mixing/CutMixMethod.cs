using static System.FormattableString;

namespace NfmGen.Mixing;

/// <summary>
/// CutMix (Yun et al., 2019): a box of each image's partner pasted into it, at the input, with λ ~ Beta(α, α). Its mixer
/// is <see cref="CutMixMixer"/>, its steps <see cref="CutMixStep"/>.
/// </summary>
/// <param name="Alpha">The concentration α of λ's Beta distribution; a finite number &gt; 0.</param>
internal sealed record CutMixMethod(double Alpha) : MixingMethod
{
    /// <summary>The usual α, 1: λ uniform in [0, 1].</summary>
    public const double DefaultAlpha = 1;

    /// <inheritdoc />
    public override void Validate(NfmNetworkInfo? network = null)
    {
        if (!double.IsFinite(Alpha) || Alpha <= 0)
            throw new ArgumentException(Invariant($"CutMix's {nameof(Alpha)} must be a finite number > 0 (was {Alpha})"), nameof(Alpha));
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The data are not images (points, table rows): there is no rectangle to cut.</exception>
    internal override IBatchMixer CreateMixer(MixerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.ImageShape is null)
            throw new ArgumentException(
                $"CutMix (the cutmix scheme) cuts and pastes rectangles of images, but {context.DataName} is not image data: train cutmix on images, "
                + "or choose a scheme that mixes any inputs, such as mixup or nfm, for points and table rows", nameof(context));
        return new CutMixMixer(Alpha, context.Seed, context.Device);
    }
}

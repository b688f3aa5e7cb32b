using NfmGen.Mixing.PuzzleMix;
using static System.FormattableString;

namespace NfmGen.Mixing;

/// <summary>
/// Puzzle Mix (Kim, Choo and Song, ICML 2020): each image mixed with its partner block by block, where a graph cut over
/// the images' saliency chooses which blocks each keeps, at the input. Its mixer is <see cref="PuzzleMixMixer"/>, its
/// steps <see cref="PuzzleMixStep"/>. It needs square images and runs the network for its saliency.
/// </summary>
/// <param name="Options">The settings; the defaults are the official CIFAR ones.</param>
internal sealed record PuzzleMixMethod(PuzzleMixOptions Options) : MixingMethod
{
    /// <inheritdoc />
    public override void Validate(NfmNetworkInfo? network = null)
    {
        if (Options is null)
            throw new ArgumentException($"{nameof(PuzzleMixMethod)}.{nameof(Options)} must be set (was null)", nameof(Options));
        Options.Validate();
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">
    /// The data is point data (no normalisation: Puzzle Mix works on images, in pixel space), its images are not square
    /// with a side of a usable grid, or the context has no network to compute the saliency with.
    /// </exception>
    internal override IBatchMixer CreateMixer(MixerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Validate(context.Info);
        if (context.Normalization is null || context.ImageShape is null)
            throw new ArgumentException(
                $"Puzzle Mix (the puzzlemix scheme) mixes images in pixel space, but {context.DataName} is not image data: train puzzlemix on images "
                + "(fashion-mnist, cifar10, cifar100 or an image folder), or choose another scheme for point data", nameof(context));
        if (context.ImageShape is not [_, var height, var width] || height != width)
            throw new ArgumentException(
                Invariant($"Puzzle Mix needs square images, but {context.DataName} has images of [{string.Join(", ", context.ImageShape)}] (C, H, W)"), nameof(context));
        PuzzleMixImages.BlockCounts((int)height);
        if (context.Network is null)
            throw new ArgumentException($"Puzzle Mix runs {context.Info.Name} for its saliency: the mixer's context must hold the network", nameof(context));
        return new PuzzleMixMixer(Options, context.Network, context.Normalization, context.Seed, context.Device, context.Parallelism);
    }
}

namespace NfmGen.Data.Images;

/// <summary>How an image folder (<see cref="Datasets.ImageFolder"/>) turns files into batches.</summary>
public sealed record ImageFolderOptions
{
    /// <summary>
    /// The largest <see cref="ImageSize"/>: 4096 pixels a side, five times the largest input of ImageNet classifiers
    /// (FixEfficientNet-L2's 800). One 3-channel input of that side is 201 MB of floats; larger sizes only exhaust memory.
    /// </summary>
    public const int MaxImageSize = 4096;

    /// <summary>The side of the square network input, in pixels (default 224, ImageNet's), 8 to <see cref="MaxImageSize"/>.</summary>
    public int ImageSize { get; init; } = 224;

    /// <summary>3 (RGB, default) or 1 (grey): what every image is converted to.</summary>
    public int Channels { get; init; } = 3;

    /// <summary>The normalisation; null: ImageNet's mean and std (<see cref="Normalization.ImageNet"/>, or its grey average for 1 channel).</summary>
    public Normalization? Normalization { get; init; }

    /// <summary>How many threads decode and augment the images of a batch (default: the machine's processor count), &gt;= 1.</summary>
    public int Workers { get; init; } = Environment.ProcessorCount;

    /// <summary>How many finished batches may wait in the bounded queue ahead of the consumer (default 2), &gt;= 1.</summary>
    public int Prefetch { get; init; } = 2;

    /// <summary>Whether a truncated or undecodable image is skipped and counted (true) or stops with an error naming it (false, default).</summary>
    public bool SkipBadImages { get; init; }

    /// <summary>
    /// The default of <see cref="MaxImagePixels"/>: 178,956,970, where PIL raises its <c>DecompressionBombError</c> (twice
    /// its <c>MAX_IMAGE_PIXELS</c>, 89,478,485, above which PIL only warns). A small crafted file can declare 60000 x
    /// 60000 pixels, 14 GB of RGBA.
    /// </summary>
    public const long DefaultMaxImagePixels = 2 * 89_478_485L;

    /// <summary>
    /// The most pixels an image file may declare (width x height); a larger one is a bad image, refused before it is
    /// decoded (default <see cref="DefaultMaxImagePixels"/>, PIL's decompression-bomb limit).
    /// </summary>
    public long MaxImagePixels { get; init; } = DefaultMaxImagePixels;

    /// <summary>The normalisation in effect: <see cref="Normalization"/>, or ImageNet's for the channel count.</summary>
    public Normalization EffectiveNormalization =>
        Normalization ?? (Channels == 1 ? Data.Normalization.ImageNetGrey : Data.Normalization.ImageNet);

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the message names it and what is accepted.</exception>
    public void Validate()
    {
        if (ImageSize is < 8 or > MaxImageSize)
            throw new ArgumentOutOfRangeException(nameof(ImageSize), ImageSize, $"image size must be 8 to {MaxImageSize} pixels.");
        if (MaxImagePixels < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxImagePixels), MaxImagePixels, "the pixel limit of an image file must be >= 1.");
        if (Channels is not (1 or 3))
            throw new ArgumentOutOfRangeException(nameof(Channels), Channels, "channels must be 1 (grey) or 3 (RGB).");
        if (Workers < 1)
            throw new ArgumentOutOfRangeException(nameof(Workers), Workers, "workers must be >= 1.");
        if (Prefetch < 1)
            throw new ArgumentOutOfRangeException(nameof(Prefetch), Prefetch, "prefetch must be >= 1.");
        if (EffectiveNormalization.Channels != Channels)
            throw new ArgumentOutOfRangeException(nameof(Normalization), EffectiveNormalization.Channels,
                $"the normalisation has {EffectiveNormalization.Channels} channels ({EffectiveNormalization}), the images {Channels}.");
    }
}

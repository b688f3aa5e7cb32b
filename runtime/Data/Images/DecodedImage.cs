namespace NfmGen.Data.Images;

/// <summary>
/// Pixels of one decoded image, upright (EXIF orientation applied): uint8, row by row, channels interleaved
/// (<c>[Height, Width, Channels]</c>), 3 channels (RGB) or 1 (grey).
/// </summary>
/// <param name="Width">Width in pixels, as decoded (smaller than the file's when it was decoded at a reduced scale).</param>
/// <param name="Height">Height in pixels, as decoded.</param>
/// <param name="Channels">3 (RGB) or 1 (grey).</param>
/// <param name="Pixels">The pixels, <c>Height * Width * Channels</c> bytes.</param>
/// <param name="SourceWidth">The upright width of the image in the file, at full scale.</param>
/// <param name="SourceHeight">The upright height of the image in the file, at full scale.</param>
internal sealed record DecodedImage(int Width, int Height, int Channels, byte[] Pixels, int SourceWidth, int SourceHeight)
{
    /// <summary>
    /// Bytes from one pixel to the next: <see cref="Channels"/>, or 4 when the decoder hands its RGBA pixels over as
    /// they are (an upright RGB image decoded for the pipeline's own resize, which reads the first 3 of each 4).
    /// </summary>
    internal int PixelStride { get; init; } = Channels;

    /// <summary>
    /// The first row <see cref="Pixels"/> holds: 0, or more when the decoder decoded only the rows a crop reads
    /// (<see cref="Height"/> stays the whole image's, for the crop's coordinates).
    /// </summary>
    internal int FirstRow { get; init; }

    /// <summary>The first column <see cref="Pixels"/> holds: 0, or more when the decoder decoded only the columns a crop reads.</summary>
    internal int FirstColumn { get; init; }

    /// <summary>How many columns each row of <see cref="Pixels"/> holds: <see cref="Width"/>, or fewer for a crop's band.</summary>
    internal int ColumnCount { get; init; } = Width;

    /// <summary>How many rows <see cref="Pixels"/> holds.</summary>
    internal int RowCount => Pixels.Length / (ColumnCount * PixelStride);
}

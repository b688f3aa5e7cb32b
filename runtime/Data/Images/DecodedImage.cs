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
public sealed record DecodedImage(int Width, int Height, int Channels, byte[] Pixels, int SourceWidth, int SourceHeight);

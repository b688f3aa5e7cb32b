using System.Globalization;
using System.Runtime.InteropServices;
using SkiaSharp;

namespace NfmGen.Data.Images;

/// <summary>
/// Decodes image files (JPEG, PNG, BMP, WebP) with SkiaSharp to upright 8-bit RGB or grey pixels. Grey, palette,
/// CMYK, 16-bit and alpha images all become RGB (alpha is dropped, as PIL's <c>convert("RGB")</c> does) or grey
/// (ITU-R 601 luma, as PIL's <c>convert("L")</c>); the EXIF orientation is applied. A JPEG is decoded at a reduced
/// scale (in the DCT, 1/8 steps) when the caller needs fewer pixels than the file holds.
/// </summary>
internal static class ImageDecoder
{
    /// <summary>Decodes <paramref name="path"/>.</summary>
    /// <param name="path">The image file.</param>
    /// <param name="channels">3 for RGB, 1 for grey.</param>
    /// <param name="minShortSide">
    /// The fewest pixels the decoded image's shorter side may have, or null for full scale. The decoder picks the
    /// smallest scale it supports that keeps at least this many (a JPEG: n/8 of full size); other formats decode at full scale.
    /// </param>
    /// <param name="maxPixels">The most pixels the file may declare (width x height); see <see cref="ImageFolderOptions.DefaultMaxImagePixels"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="channels"/> is not 1 or 3, or <paramref name="minShortSide"/> or <paramref name="maxPixels"/> is not &gt; 0.</exception>
    /// <exception cref="BadImageException">
    /// The file is missing, truncated, not a decodable image, or declares more than <paramref name="maxPixels"/> pixels; the message names it.
    /// </exception>
    public static DecodedImage Decode(string path, int channels, int? minShortSide = null, long maxPixels = ImageFolderOptions.DefaultMaxImagePixels)
    {
        if (minShortSide is <= 0)
            throw new ArgumentOutOfRangeException(nameof(minShortSide), minShortSide, "minShortSide must be > 0.");
        return Decode(path, channels, maxPixels, (_, _) => minShortSide);
    }

    /// <summary>
    /// Decodes <paramref name="path"/> at the scale that <paramref name="minShortSideFor"/> asks for, given the upright
    /// full-scale width and height: a random crop is drawn on those before the decoder knows how much it may shrink.
    /// With <paramref name="bandOf"/> (the rows and columns, <c>[First, End)</c>, the caller will read, given the decoded width
    /// and height), an upright RGB image keeps the decoder's RGBA bytes (<see cref="DecodedImage.PixelStride"/> 4) and,
    /// where the codec decodes line by line, only that band (<see cref="DecodedImage.FirstRow"/>, <see cref="DecodedImage.FirstColumn"/>):
    /// the other rows are skipped without their inverse DCT and colour conversion, but still read to the end, so a
    /// truncated file is bad whatever the crop.
    /// </summary>
    internal static DecodedImage Decode(string path, int channels, long maxPixels, Func<int, int, int?> minShortSideFor, Func<int, int, Band>? bandOf = null)
    {
        if (channels is not (1 or 3))
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "channels must be 1 (grey) or 3 (RGB).");
        if (maxPixels <= 0)
            throw new ArgumentOutOfRangeException(nameof(maxPixels), maxPixels, "the pixel limit must be > 0.");
        if (!File.Exists(path))
            throw new BadImageException(path, "no such file");

        using var codec = SKCodec.Create(path, out var opened)
            ?? throw new BadImageException(path, opened == SKCodecResult.IncompleteInput
                ? "truncated: the file ends before the image's header does"
                : $"not an image SkiaSharp can decode ({opened}; accepted: JPEG, PNG, BMP, WebP)");
        var origin = codec.EncodedOrigin;
        var transposed = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        int fullWidth = codec.Info.Width, fullHeight = codec.Info.Height;
        if (fullWidth <= 0 || fullHeight <= 0)
            throw new BadImageException(path, $"the image has no pixels ({fullWidth}x{fullHeight})");
        // Checked on the header, before anything is allocated: Skia's own sizes are 32-bit and overflow past 2^31 bytes.
        if ((long)fullWidth * fullHeight > maxPixels)
            throw new BadImageException(path, string.Create(CultureInfo.InvariantCulture,
                $"declares {fullWidth}x{fullHeight} = {(long)fullWidth * fullHeight:N0} pixels, more than the limit of {maxPixels:N0} (a decompression-bomb guard, as PIL's; raise it with nfm train's or nfm predict's --max-image-pixels, or ImageFolderOptions.MaxImagePixels from code)"));
        int sourceWidth = transposed ? fullHeight : fullWidth, sourceHeight = transposed ? fullWidth : fullHeight;

        var size = new SKSizeI(fullWidth, fullHeight);
        var shortSide = Math.Min(fullWidth, fullHeight);
        if (minShortSideFor(sourceWidth, sourceHeight) is { } wanted && wanted < shortSide)
        {
            var scaled = codec.GetScaledDimensions((float)wanted / shortSide);
            if (scaled.Width > 0 && scaled.Height > 0 && Math.Min(scaled.Width, scaled.Height) >= wanted)
                size = scaled;
        }

        // A raised pixel limit can still ask for more than one array holds: refuse it by name, not by overflow.
        if ((long)size.Width * size.Height * 4 > Array.MaxLength)
            throw new BadImageException(path, string.Create(CultureInfo.InvariantCulture,
                $"{size.Width}x{size.Height} pixels are more than one buffer of RGBA pixels holds ({Array.MaxLength:N0} bytes); the largest image decoded whole has about {Array.MaxLength / 4:N0} pixels"));
        var info = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var upright = bandOf is not null && channels == 3 && origin == SKEncodedOrigin.TopLeft;
        if (upright && codec.ScanlineOrder == SKCodecScanlineOrder.TopDown)
        {
            var band = bandOf!(size.Width, size.Height).Within(size.Width, size.Height);
            var columns = new SKRectI(band.FirstColumn, 0, band.EndColumn, size.Height);
            if (codec.StartScanlineDecode(info, BandOptions(columns)) == SKCodecResult.Success)
                return DecodeBand(path, codec, info, band, sourceWidth, sourceHeight);
        }

        var rgba = new byte[info.BytesSize];
        var handle = GCHandle.Alloc(rgba, GCHandleType.Pinned);
        SKCodecResult result;
        try
        {
            result = codec.GetPixels(info, handle.AddrOfPinnedObject());
        }
        finally
        {
            handle.Free();
        }
        if (result != SKCodecResult.Success)
            throw new BadImageException(path, result == SKCodecResult.IncompleteInput
                ? "truncated: the file ends before the image does"
                : $"cannot be decoded ({result})");

        if (upright)
            return new DecodedImage(size.Width, size.Height, 3, rgba, sourceWidth, sourceHeight) { PixelStride = 4 };
        return Upright(rgba, size.Width, size.Height, channels, origin, sourceWidth, sourceHeight);
    }

    /// <summary>
    /// The options of a band's scanline decode: its columns, and "the destination is zeroed" (a new array is), which
    /// tells Skia not to fill the rows a truncated file lacks. That fill must not run: without a swizzler it takes its
    /// width from the subset, which Skia keeps as the pointer SkiaSharp passed to the start of the decode, to a rectangle
    /// on that call's stack; the test suite crashed twice in SkOpts::memset32 writing past a buffer while decoding
    /// truncated JPEGs. A truncated file is a bad image anyway, whatever the fill would have written.
    /// </summary>
    public static SKCodecOptions BandOptions(SKRectI columns) => new(SKZeroInitialized.Yes, columns);

    // The band of a scanline decode started on its columns; the rows around it are skipped (read, not converted).
    private static DecodedImage DecodeBand(string path, SKCodec codec, SKImageInfo info, Band band, int sourceWidth, int sourceHeight)
    {
        int rows = band.EndRow - band.FirstRow, columns = band.EndColumn - band.FirstColumn;
        var pixels = new byte[(long)rows * columns * 4];
        var handle = GCHandle.Alloc(pixels, GCHandleType.Pinned);
        bool complete;
        try
        {
            complete = (band.FirstRow == 0 || codec.SkipScanlines(band.FirstRow))
                && codec.GetScanlines(handle.AddrOfPinnedObject(), rows, columns * 4) == rows
                && (band.EndRow == info.Height || codec.SkipScanlines(info.Height - band.EndRow));
        }
        finally
        {
            handle.Free();
        }
        if (!complete)
            throw new BadImageException(path, "truncated: the file ends before the image does");
        return new DecodedImage(info.Width, info.Height, 3, pixels, sourceWidth, sourceHeight)
        {
            PixelStride = 4, FirstRow = band.FirstRow, FirstColumn = band.FirstColumn, ColumnCount = columns,
        };
    }

    /// <summary>
    /// Turns RGBA pixels as stored into upright RGB or grey pixels: each output pixel (x, y) reads the stored pixel
    /// whose coordinates are an affine function of (x, y), one per EXIF orientation.
    /// </summary>
    private static DecodedImage Upright(byte[] rgba, int width, int height, int channels, SKEncodedOrigin origin, int sourceWidth, int sourceHeight)
    {
        // Stored (ix, iy) = (a0 + ax*x + ay*y, b0 + bx*x + by*y) for output (x, y).
        var (a0, ax, ay, b0, bx, by) = origin switch
        {
            SKEncodedOrigin.TopRight => (width - 1, -1, 0, 0, 0, 1),
            SKEncodedOrigin.BottomRight => (width - 1, -1, 0, height - 1, 0, -1),
            SKEncodedOrigin.BottomLeft => (0, 1, 0, height - 1, 0, -1),
            SKEncodedOrigin.LeftTop => (0, 0, 1, 0, 1, 0),
            SKEncodedOrigin.RightTop => (0, 0, 1, height - 1, -1, 0),
            SKEncodedOrigin.RightBottom => (width - 1, 0, -1, height - 1, -1, 0),
            SKEncodedOrigin.LeftBottom => (width - 1, 0, -1, 0, 1, 0),
            _ => (0, 1, 0, 0, 0, 1),
        };
        var transposed = ax == 0;
        int outWidth = transposed ? height : width, outHeight = transposed ? width : height;
        long start = (long)b0 * width + a0, stepX = ax + (long)bx * width, stepY = ay + (long)by * width;
        var pixels = new byte[(long)outWidth * outHeight * channels];
        var o = 0;
        for (var y = 0; y < outHeight; y++)
        {
            var source = start + stepY * y;
            for (var x = 0; x < outWidth; x++, source += stepX)
            {
                var s = (int)(source * 4);
                if (channels == 3)
                {
                    pixels[o++] = rgba[s];
                    pixels[o++] = rgba[s + 1];
                    pixels[o++] = rgba[s + 2];
                }
                else
                {
                    pixels[o++] = (byte)((rgba[s] * 19595 + rgba[s + 1] * 38470 + rgba[s + 2] * 7471 + 0x8000) >> 16);
                }
            }
        }
        return new DecodedImage(outWidth, outHeight, channels, pixels, sourceWidth, sourceHeight);
    }
}

/// <summary>The rows and columns <c>[First, End)</c> of a decoded image that a crop's resize reads.</summary>
internal readonly record struct Band(int FirstRow, int EndRow, int FirstColumn, int EndColumn)
{
    /// <summary>The band clamped to a <paramref name="width"/> x <paramref name="height"/> image, at least one pixel.</summary>
    public Band Within(int width, int height)
    {
        int firstRow = Math.Clamp(FirstRow, 0, height - 1), firstColumn = Math.Clamp(FirstColumn, 0, width - 1);
        return new(firstRow, Math.Clamp(EndRow, firstRow + 1, height), firstColumn, Math.Clamp(EndColumn, firstColumn + 1, width));
    }
}

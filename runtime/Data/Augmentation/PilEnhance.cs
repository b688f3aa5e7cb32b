namespace NfmGen.Data.Augmentation;

/// <summary>
/// PIL's <c>ImageEnhance</c> (Pillow 9.4): each enhancer blends the image with a degenerate version of it,
/// <c>Image.blend(degenerate, image, factor)</c>, in the C code's single-precision arithmetic (<c>Blend.c</c>):
/// colour with the image's greyscale, contrast with its mean grey, brightness with black, sharpness with the image
/// smoothed by PIL's <c>SMOOTH</c> kernel (<c>Filter.c</c>'s 3×3 filter).
/// </summary>
internal static class PilEnhance
{
    // Scratch images up to this size live on the stack (a 32x32 RGB image is 3 KiB); larger ones on the heap.
    private const int StackLimit = 16384;

    /// <summary><c>ImageEnhance.Color(image).enhance(factor)</c>.</summary>
    public static void Color(ReadOnlySpan<byte> source, Span<byte> destination, PlanarImage image, double factor)
    {
        Span<byte> degenerate = image.Bytes <= StackLimit ? stackalloc byte[image.Bytes] : new byte[image.Bytes];
        if (image.Channels == 1)
        {
            source.CopyTo(degenerate); // L to L to L is the image itself
        }
        else
        {
            Luma(source, degenerate[..image.Plane], image);
            for (var c = 1; c < image.Channels; c++)
                degenerate[..image.Plane].CopyTo(image.PlaneOf(degenerate, c));
        }
        Blend(degenerate, source, destination, factor);
    }

    /// <summary><c>ImageEnhance.Contrast(image).enhance(factor)</c>: blended with the mean of the image's greyscale, rounded.</summary>
    public static void Contrast(ReadOnlySpan<byte> source, Span<byte> destination, PlanarImage image, double factor)
    {
        Span<byte> grey = image.Plane <= StackLimit ? stackalloc byte[image.Plane] : new byte[image.Plane];
        if (image.Channels == 1)
            source.CopyTo(grey);
        else
            Luma(source, grey, image);
        // ImageStat.Stat(...).mean[0]: the histogram's weighted sum over its count, in doubles.
        Span<int> histogram = stackalloc int[256];
        PilLookups.Histogram(grey, histogram);
        double sum = 0, count = 0;
        for (var i = 0; i < 256; i++)
        {
            sum += i * (double)histogram[i];
            count += histogram[i];
        }
        var mean = (byte)(int)(sum / count + 0.5);
        Span<byte> degenerate = image.Bytes <= StackLimit ? stackalloc byte[image.Bytes] : new byte[image.Bytes];
        degenerate.Fill(mean);
        Blend(degenerate, source, destination, factor);
    }

    /// <summary><c>ImageEnhance.Brightness(image).enhance(factor)</c>: blended with black.</summary>
    public static void Brightness(ReadOnlySpan<byte> source, Span<byte> destination, PlanarImage image, double factor)
    {
        Span<byte> black = image.Bytes <= StackLimit ? stackalloc byte[image.Bytes] : new byte[image.Bytes];
        black.Clear();
        Blend(black, source, destination, factor);
    }

    /// <summary><c>ImageEnhance.Sharpness(image).enhance(factor)</c>: blended with <c>image.filter(ImageFilter.SMOOTH)</c>.</summary>
    public static void Sharpness(ReadOnlySpan<byte> source, Span<byte> destination, PlanarImage image, double factor)
    {
        Span<byte> smooth = image.Bytes <= StackLimit ? stackalloc byte[image.Bytes] : new byte[image.Bytes];
        for (var c = 0; c < image.Channels; c++)
            Smooth(image.PlaneOf(source, c), image.PlaneOf(smooth, c), image.Height, image.Width);
        Blend(smooth, source, destination, factor);
    }

    /// <summary><c>image.convert("L")</c> of an RGB image: ITU-R 601-2 luma in PIL's 16-bit fixed point, rounded.</summary>
    internal static void Luma(ReadOnlySpan<byte> rgb, Span<byte> grey, PlanarImage image)
    {
        var plane = image.Plane;
        for (var i = 0; i < plane; i++)
            grey[i] = (byte)((rgb[i] * 19595 + rgb[plane + i] * 38470 + rgb[2 * plane + i] * 7471 + 0x8000) >> 16);
    }

    // Blend.c's ImagingBlend: out = in1 + alpha·(in2 − in1) in float (alpha is a C float), truncated; clamped when
    // alpha extrapolates (outside [0, 1]). alpha 0 and 1 copy an input.
    private static void Blend(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, Span<byte> destination, double factor)
    {
        var alpha = (float)factor;
        if (alpha == 0.0f)
        {
            first.CopyTo(destination);
            return;
        }
        if (alpha == 1.0f)
        {
            second.CopyTo(destination);
            return;
        }
        var interpolates = alpha >= 0 && alpha <= 1.0f;
        for (var i = 0; i < destination.Length; i++)
        {
            var value = first[i] + alpha * (second[i] - first[i]);
            destination[i] = interpolates ? (byte)value : value <= 0.0f ? (byte)0 : value >= 255.0f ? (byte)255 : (byte)value;
        }
    }

    // Filter.c's ImagingFilter3x3 with SMOOTH's kernel (1 1 1 / 1 5 1 / 1 1 1, divided by 13 in float) and offset 0:
    // the border rows and columns are copied; inside, the float sum of the row below, the row and the row above
    // (each a left-to-right sum of three products) plus 0.5, clipped and truncated.
    private static void Smooth(ReadOnlySpan<byte> source, Span<byte> destination, int height, int width)
    {
        const float Side = 1.0f / 13.0f;
        const float Centre = 5.0f / 13.0f;
        source.CopyTo(destination);
        for (var y = 1; y < height - 1; y++)
        {
            var above = source.Slice((y - 1) * width, width);
            var row = source.Slice(y * width, width);
            var below = source.Slice((y + 1) * width, width);
            for (var x = 1; x < width - 1; x++)
            {
                var sum = 0.5f;
                sum += below[x - 1] * Side + below[x] * Side + below[x + 1] * Side;
                sum += row[x - 1] * Side + row[x] * Centre + row[x + 1] * Side;
                sum += above[x - 1] * Side + above[x] * Side + above[x + 1] * Side;
                destination[y * width + x] = sum <= 0.0f ? (byte)0 : sum >= 255.0f ? (byte)255 : (byte)sum;
            }
        }
    }
}

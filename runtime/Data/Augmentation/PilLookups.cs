namespace NfmGen.Data.Augmentation;

/// <summary>
/// The operations of PIL's <c>ImageOps</c> that map each channel through a table of 256 values (Pillow 9.4,
/// <c>ImageOps.py</c>, statement by statement): autocontrast, equalize, posterize and solarize.
/// </summary>
internal static class PilLookups
{
    /// <summary><c>ImageOps.autocontrast(image)</c>: each channel's lowest to highest value stretched to 0..255 (no cutoff).</summary>
    public static void AutoContrast(ReadOnlySpan<byte> source, Span<byte> destination, PlanarImage image)
    {
        Span<int> histogram = stackalloc int[256];
        Span<byte> table = stackalloc byte[256];
        for (var c = 0; c < image.Channels; c++)
        {
            var plane = image.PlaneOf(source, c);
            Histogram(plane, histogram);
            int lo = 0, hi = 255;
            while (lo < 255 && histogram[lo] == 0)
                lo++;
            while (hi > 0 && histogram[hi] == 0)
                hi--;
            if (hi <= lo)
            {
                Identity(table);
            }
            else
            {
                var scale = 255.0 / (hi - lo);
                var offset = -lo * scale;
                for (var i = 0; i < 256; i++)
                    table[i] = (byte)Math.Clamp((int)(i * scale + offset), 0, 255); // Python's int() truncates toward zero, as the cast
            }
            Map(plane, image.PlaneOf(destination, c), table);
        }
    }

    /// <summary><c>ImageOps.equalize(image)</c>: each channel's histogram equalised, as PIL steps it.</summary>
    public static void Equalize(ReadOnlySpan<byte> source, Span<byte> destination, PlanarImage image)
    {
        Span<int> histogram = stackalloc int[256];
        Span<byte> table = stackalloc byte[256];
        for (var c = 0; c < image.Channels; c++)
        {
            var plane = image.PlaneOf(source, c);
            Histogram(plane, histogram);
            int used = 0, total = 0, last = 0;
            foreach (var count in histogram)
            {
                if (count == 0)
                    continue;
                used++;
                total += count;
                last = count;
            }
            var step = used <= 1 ? 0 : (total - last) / 255;
            if (step == 0)
            {
                Identity(table);
            }
            else
            {
                var n = step / 2;
                for (var i = 0; i < 256; i++)
                {
                    table[i] = (byte)Math.Min(n / step, 255); // Image.point clips the table's entries to 0..255
                    n += histogram[i];
                }
            }
            Map(plane, image.PlaneOf(destination, c), table);
        }
    }

    /// <summary><c>ImageOps.posterize(image, bits)</c>: the <paramref name="bits"/> (0..8) highest bits of each value kept.</summary>
    public static void Posterize(ReadOnlySpan<byte> source, Span<byte> destination, int bits)
    {
        var mask = (byte)~((1 << (8 - bits)) - 1);
        for (var i = 0; i < source.Length; i++)
            destination[i] = (byte)(source[i] & mask);
    }

    /// <summary><c>ImageOps.solarize(image, threshold)</c>: values at or above <paramref name="threshold"/> inverted.</summary>
    public static void Solarize(ReadOnlySpan<byte> source, Span<byte> destination, int threshold)
    {
        for (var i = 0; i < source.Length; i++)
            destination[i] = source[i] < threshold ? source[i] : (byte)(255 - source[i]);
    }

    /// <summary>The histogram of one plane, 256 counts.</summary>
    internal static void Histogram(ReadOnlySpan<byte> plane, Span<int> histogram)
    {
        histogram.Clear();
        foreach (var value in plane)
            histogram[value]++;
    }

    private static void Identity(Span<byte> table)
    {
        for (var i = 0; i < 256; i++)
            table[i] = (byte)i;
    }

    private static void Map(ReadOnlySpan<byte> plane, Span<byte> destination, ReadOnlySpan<byte> table)
    {
        for (var i = 0; i < plane.Length; i++)
            destination[i] = table[plane[i]];
    }
}

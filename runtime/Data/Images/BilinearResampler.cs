using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NfmGen.Data.Images;

/// <summary>
/// Resizes a rectangle of an image to a square with PIL's bilinear filter (separable; when shrinking, the triangle
/// widens with the scale, so a reduced image is antialiased as torchvision's PIL path makes it), optionally mirrored,
/// into uint8 CHW planes.
/// </summary>
internal static class BilinearResampler
{
    /// <summary>
    /// Writes the rectangle <paramref name="box"/> (in <paramref name="image"/>'s decoded pixels) resized to
    /// <paramref name="size"/> x <paramref name="size"/> into <paramref name="destination"/> as <c>[C, size, size]</c>,
    /// mirrored left-right when <paramref name="flip"/>.
    /// </summary>
    public static void Resample(DecodedImage image, CropBox box, int size, bool flip, Span<byte> destination)
    {
        int channels = image.Channels, stride = image.PixelStride;
        var (xStart, xCount, xWeights, xTaps) = Weights(box.Left, box.Width, image.Width, size);
        var (yStart, yCount, yWeights, yTaps) = Weights(box.Top, box.Height, image.Height, size);

        // Only the rows some output row reads are filtered horizontally.
        var firstRow = yStart[0];
        var lastRow = 0;
        for (var y = 0; y < size; y++)
            lastRow = Math.Max(lastRow, yStart[y] + yCount[y]);
        var rows = lastRow - firstRow;
        var (firstColumn, endColumn) = Span(xStart, xCount);
        if (firstRow < image.FirstRow || lastRow > image.FirstRow + image.RowCount
            || firstColumn < image.FirstColumn || endColumn > image.FirstColumn + image.ColumnCount)
            throw new InvalidOperationException(
                $"the resize reads rows {firstRow}..{lastRow - 1} and columns {firstColumn}..{endColumn - 1}, the decoded band holds rows "
                + $"{image.FirstRow}..{image.FirstRow + image.RowCount - 1} and columns {image.FirstColumn}..{image.FirstColumn + image.ColumnCount - 1}");
        // A mirrored output is the plain one's columns in reverse: the same sums, computed in mirrored order, so
        // each output row lands in the planes as it is.
        if (flip)
            Mirror(xStart, xCount, xWeights, xTaps);
        var rowLength = size * channels;
        // One spare float per row: the RGBA path stores 4 floats per RGB pixel, the 4th overwritten by the next pixel.
        var buffer = ArrayPool<float>.Shared.Rent(rows * rowLength + 1);
        var rounded = ArrayPool<byte>.Shared.Rent(rowLength);
        var rgba = channels == 3 && stride == 4;
        // The RGBA path's widened columns, and as many zeros after them as a pair of pixels reads past its own taps.
        var widenedLength = (endColumn - firstColumn + xTaps) * 4;
        var widened = rgba ? ArrayPool<float>.Shared.Rent(widenedLength) : [];
        var pairWeights = rgba ? PairWeights(xCount, xWeights, xTaps) : [];
        try
        {
            if (rgba)
                widened.AsSpan((endColumn - firstColumn) * 4, xTaps * 4).Clear();
            var pixels = image.Pixels;
            for (var r = 0; r < rows; r++)
            {
                // Where column 0 of this row would be: a band's columns start at image.FirstColumn.
                var rowOffset = ((firstRow - image.FirstRow + r) * image.ColumnCount - image.FirstColumn) * stride;
                var output = r * rowLength;
                if (rgba)
                    HorizontalRgba(pixels.AsSpan(rowOffset + firstColumn * 4, (endColumn - firstColumn) * 4), firstColumn, size, xStart, xCount, pairWeights, xTaps,
                        widened, buffer.AsSpan(output, rowLength + 1));
                else if (channels == 3)
                    HorizontalRgb(pixels, rowOffset, stride, size, xStart, xCount, xWeights, xTaps, buffer.AsSpan(output, rowLength));
                else
                    HorizontalGrey(pixels, rowOffset, stride, size, xStart, xCount, xWeights, xTaps, buffer.AsSpan(output, rowLength));
            }

            var plane = size * size;
            var bytes = rounded.AsSpan(0, rowLength);
            for (var y = 0; y < size; y++)
            {
                Vertical(buffer, (yStart[y] - firstRow) * rowLength, rowLength, yCount[y], yWeights.AsSpan(y * yTaps, yTaps), bytes);
                var at = y * size;
                if (channels == 1)
                {
                    bytes.CopyTo(destination.Slice(at, size));
                    continue;
                }
                var red = destination.Slice(at, size);
                var green = destination.Slice(plane + at, size);
                var blue = destination.Slice(2 * plane + at, size);
                for (var x = 0; x < size; x++)
                {
                    red[x] = bytes[3 * x];
                    green[x] = bytes[3 * x + 1];
                    blue[x] = bytes[3 * x + 2];
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
            ArrayPool<byte>.Shared.Return(rounded);
            if (rgba)
                ArrayPool<float>.Shared.Return(widened);
        }
    }

    // Output pixel x takes the taps of pixel size - 1 - x.
    private static void Mirror(int[] start, int[] count, float[] weights, int taps)
    {
        Array.Reverse(start);
        Array.Reverse(count);
        for (int low = 0, high = start.Length - 1; low < high; low++, high--)
        {
            var a = weights.AsSpan(low * taps, taps);
            var b = weights.AsSpan(high * taps, taps);
            for (var k = 0; k < taps; k++)
                (a[k], b[k]) = (b[k], a[k]);
        }
    }

    // For each pair of output pixels (2p, 2p + 1) and tap k: 8 floats, the first pixel's weight 4 times, then the
    // second's (zero past a pixel's own taps; a lone last pixel pairs with zeros). Taps per pair: the larger count.
    private static float[] PairWeights(int[] count, float[] weights, int taps)
    {
        var pairs = (count.Length + 1) / 2;
        var paired = new float[pairs * taps * 8];
        for (var x = 0; x < count.Length; x++)
        {
            var lanes = (x / 2) * taps * 8 + (x % 2) * 4;
            for (var k = 0; k < count[x]; k++)
                paired.AsSpan(lanes + k * 8, 4).Fill(weights[x * taps + k]);
        }
        return paired;
    }

    // sum over the taps of weight * row, the whole output row at once, tap by tap in order (a multiply and an add per
    // tap, no fused multiply-add: the scalar sums' bits), then rounded half to even and clamped to bytes.
    private static void Vertical(float[] buffer, int first, int rowLength, int count, ReadOnlySpan<float> weights, Span<byte> output)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var low = Vector256<float>.Zero;
            var high = Vector256.Create(255f);
            for (; i + 32 <= rowLength; i += 32)
            {
                Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
                for (var k = 0; k < count; k++)
                {
                    ref var row = ref buffer[first + k * rowLength + i];
                    var w = Vector256.Create(weights[k]);
                    s0 += Vector256.LoadUnsafe(ref row) * w;
                    s1 += Vector256.LoadUnsafe(ref row, 8) * w;
                    s2 += Vector256.LoadUnsafe(ref row, 16) * w;
                    s3 += Vector256.LoadUnsafe(ref row, 24) * w;
                }
                var a = Vector256.ConvertToInt32(Vector256.Min(Vector256.Max(Vector256.Round(s0), low), high));
                var b = Vector256.ConvertToInt32(Vector256.Min(Vector256.Max(Vector256.Round(s1), low), high));
                var c = Vector256.ConvertToInt32(Vector256.Min(Vector256.Max(Vector256.Round(s2), low), high));
                var d = Vector256.ConvertToInt32(Vector256.Min(Vector256.Max(Vector256.Round(s3), low), high));
                Vector256.Narrow(Vector256.Narrow(a, b), Vector256.Narrow(c, d)).AsByte().StoreUnsafe(ref output[i]);
            }
        }
        for (; i < rowLength; i++)
        {
            var sum = 0f;
            for (var k = 0; k < count; k++)
                sum += buffer[first + k * rowLength + i] * weights[k];
            output[i] = (byte)Math.Clamp((int)MathF.Round(sum), 0, 255);
        }
    }

    // RGBA bytes: the row's columns widened to floats once, then two output pixels' taps summed as one 8-lane vector
    // (a multiply and an add per tap, lane by lane the scalar path's sums in its order; a pixel's extra taps add
    // weight 0 times a finite value, which leaves its sum as it is).
    private static void HorizontalRgba(ReadOnlySpan<byte> columns, int firstColumn, int size, int[] start, int[] count, float[] pairWeights, int taps,
        float[] widened, Span<float> output)
    {
        Widen(columns, widened);
        ref var weights = ref MemoryMarshal.GetArrayDataReference(pairWeights);
        ref var values = ref MemoryMarshal.GetArrayDataReference(widened);
        ref var sums = ref MemoryMarshal.GetReference(output);
        for (var x = 0; x < size; x += 2)
        {
            var second = Math.Min(x + 1, size - 1);
            int first = (start[x] - firstColumn) * 4, next = (start[second] - firstColumn) * 4;
            var n = Math.Max(count[x], count[second]);
            var w = (x / 2) * taps * 8;
            var sum = Vector256<float>.Zero;
            for (var k = 0; k < n; k++, first += 4, next += 4, w += 8)
                sum += Vector256.Create(Vector128.LoadUnsafe(ref values, (nuint)first), Vector128.LoadUnsafe(ref values, (nuint)next))
                    * Vector256.LoadUnsafe(ref weights, (nuint)w);
            // The second pixel after the first: its red overwrites the first's 4th lane.
            sum.GetLower().StoreUnsafe(ref sums, (nuint)(3 * x));
            if (x + 1 < size)
                sum.GetUpper().StoreUnsafe(ref sums, (nuint)(3 * x + 3));
        }
    }

    private static void Widen(ReadOnlySpan<byte> bytes, float[] floats)
    {
        var i = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            for (; i + 16 <= bytes.Length; i += 16)
            {
                var (low, high) = Vector128.Widen(Vector128.Create(bytes.Slice(i, 16)));
                var (a, b) = Vector128.Widen(low);
                var (c, d) = Vector128.Widen(high);
                Vector128.ConvertToSingle(a.AsInt32()).StoreUnsafe(ref floats[i]);
                Vector128.ConvertToSingle(b.AsInt32()).StoreUnsafe(ref floats[i + 4]);
                Vector128.ConvertToSingle(c.AsInt32()).StoreUnsafe(ref floats[i + 8]);
                Vector128.ConvertToSingle(d.AsInt32()).StoreUnsafe(ref floats[i + 12]);
            }
        }
        for (; i < bytes.Length; i++)
            floats[i] = bytes[i];
    }

    private static void HorizontalRgb(byte[] pixels, int rowOffset, int stride, int size, int[] start, int[] count, float[] weights, int taps, Span<float> output)
    {
        for (var x = 0; x < size; x++)
        {
            float r = 0, g = 0, b = 0;
            var input = rowOffset + start[x] * stride;
            var w = x * taps;
            for (var k = 0; k < count[x]; k++, input += stride)
            {
                var weight = weights[w + k];
                r += pixels[input] * weight;
                g += pixels[input + 1] * weight;
                b += pixels[input + 2] * weight;
            }
            output[3 * x] = r;
            output[3 * x + 1] = g;
            output[3 * x + 2] = b;
        }
    }

    private static void HorizontalGrey(byte[] pixels, int rowOffset, int stride, int size, int[] start, int[] count, float[] weights, int taps, Span<float> output)
    {
        for (var x = 0; x < size; x++)
        {
            float sum = 0;
            var input = rowOffset + start[x] * stride;
            var w = x * taps;
            for (var k = 0; k < count[x]; k++, input += stride)
                sum += pixels[input] * weights[w + k];
            output[x] = sum;
        }
    }

    /// <summary>The input rows (or columns) <c>[First, End)</c> that resizing the span <paramref name="offset"/> .. + <paramref name="length"/> of <paramref name="inputSize"/> rows to <paramref name="outputSize"/> reads.</summary>
    public static (int First, int End) Rows(double offset, double length, int inputSize, int outputSize)
    {
        var (start, count, _, _) = Weights(offset, length, inputSize, outputSize);
        return Span(start, count);
    }

    private static (int First, int End) Span(int[] start, int[] count)
    {
        var end = 0;
        for (var i = 0; i < start.Length; i++)
            end = Math.Max(end, start[i] + count[i]);
        return (start[0], end);
    }

    /// <summary>
    /// For each output pixel along one axis: the first input pixel it reads, how many, and their normalised weights
    /// (<c>taps</c> per output pixel), as PIL's <c>precompute_coeffs</c> with the bilinear filter (support 1).
    /// </summary>
    private static (int[] Start, int[] Count, float[] Weights, int Taps) Weights(double offset, double length, int inputSize, int outputSize)
    {
        var scale = length / outputSize;
        var filterScale = Math.Max(scale, 1.0);
        var support = filterScale;
        var taps = (int)Math.Ceiling(support) * 2 + 1;
        var start = new int[outputSize];
        var count = new int[outputSize];
        var weights = new float[outputSize * taps];
        var w = new double[taps];
        for (var x = 0; x < outputSize; x++)
        {
            var center = offset + (x + 0.5) * scale;
            var min = Math.Max(0, (int)Math.Floor(center - support + 0.5));
            var max = Math.Min(inputSize, (int)Math.Floor(center + support + 0.5));
            if (max <= min) // a box at the very edge: read the nearest pixel
            {
                min = Math.Clamp((int)center, 0, inputSize - 1);
                max = min + 1;
            }
            var n = Math.Min(max - min, taps);
            double total = 0;
            for (var k = 0; k < n; k++)
            {
                var distance = Math.Abs((k + min - center + 0.5) / filterScale);
                w[k] = distance < 1 ? 1 - distance : 0;
                total += w[k];
            }
            for (var k = 0; k < n; k++)
                weights[x * taps + k] = (float)(total > 0 ? w[k] / total : 1.0 / n);
            start[x] = min;
            count[x] = n;
        }
        return (start, count, weights, taps);
    }
}

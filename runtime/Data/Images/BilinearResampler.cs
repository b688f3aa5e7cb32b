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
        var rowLength = size * channels;
        // One spare float per row: the RGBA path stores 4 floats per RGB pixel, the 4th overwritten by the next pixel.
        var buffer = ArrayPool<float>.Shared.Rent(rows * rowLength + 1);
        var row = ArrayPool<float>.Shared.Rent(rowLength);
        var rgba = channels == 3 && stride == 4;
        var widened = rgba ? ArrayPool<float>.Shared.Rent((endColumn - firstColumn) * 4) : [];
        try
        {
            var pixels = image.Pixels;
            for (var r = 0; r < rows; r++)
            {
                // Where column 0 of this row would be: a band's columns start at image.FirstColumn.
                var rowOffset = ((firstRow - image.FirstRow + r) * image.ColumnCount - image.FirstColumn) * stride;
                var output = r * rowLength;
                if (rgba)
                    HorizontalRgba(pixels.AsSpan(rowOffset + firstColumn * 4, (endColumn - firstColumn) * 4), firstColumn, size, xStart, xCount, xWeights, xTaps,
                        widened, buffer.AsSpan(output, rowLength + 1));
                else if (channels == 3)
                    HorizontalRgb(pixels, rowOffset, stride, size, xStart, xCount, xWeights, xTaps, buffer.AsSpan(output, rowLength));
                else
                    HorizontalGrey(pixels, rowOffset, stride, size, xStart, xCount, xWeights, xTaps, buffer.AsSpan(output, rowLength));
            }

            var plane = size * size;
            var sums = row.AsSpan(0, rowLength);
            for (var y = 0; y < size; y++)
            {
                // The whole output row at once, tap by tap: the same sums, in the same order, as pixel by pixel, but vectorised.
                sums.Clear();
                var weights = y * yTaps;
                for (var k = 0; k < yCount[y]; k++)
                    AddScaled(sums, buffer.AsSpan((yStart[y] - firstRow + k) * rowLength, rowLength), yWeights[weights + k]);
                for (var x = 0; x < size; x++)
                {
                    var at = y * size + (flip ? size - 1 - x : x);
                    for (var c = 0; c < channels; c++)
                        destination[c * plane + at] = (byte)Math.Clamp((int)MathF.Round(sums[x * channels + c]), 0, 255);
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
            ArrayPool<float>.Shared.Return(row);
            if (rgba)
                ArrayPool<float>.Shared.Return(widened);
        }
    }

    // RGBA bytes: the row's columns widened to floats once, then each output pixel's taps summed as one 4-lane vector
    // (a multiply and an add per tap, lane by lane the scalar path's sums in its order).
    private static void HorizontalRgba(ReadOnlySpan<byte> columns, int firstColumn, int size, int[] start, int[] count, float[] weights, int taps,
        float[] widened, Span<float> output)
    {
        Widen(columns, widened);
        for (var x = 0; x < size; x++)
        {
            var sum = Vector128<float>.Zero;
            var input = (start[x] - firstColumn) * 4;
            var w = x * taps;
            for (var k = 0; k < count[x]; k++, input += 4)
                sum += Vector128.LoadUnsafe(ref widened[input]) * Vector128.Create(weights[w + k]);
            sum.StoreUnsafe(ref output[3 * x]);
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

    // sums += weight * values, element by element (a multiply and an add, as the scalar code does: no fused multiply-add).
    private static void AddScaled(Span<float> sums, ReadOnlySpan<float> values, float weight)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var scale = new Vector<float>(weight);
            var sumVectors = MemoryMarshal.Cast<float, Vector<float>>(sums);
            var valueVectors = MemoryMarshal.Cast<float, Vector<float>>(values);
            for (var v = 0; v < sumVectors.Length; v++)
                sumVectors[v] += valueVectors[v] * scale;
            i = sumVectors.Length * Vector<float>.Count;
        }
        for (; i < sums.Length; i++)
            sums[i] += values[i] * weight;
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
            var w = new double[n];
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

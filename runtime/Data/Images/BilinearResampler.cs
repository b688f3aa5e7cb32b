using System.Buffers;

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
        int channels = image.Channels, width = image.Width;
        var (xStart, xCount, xWeights, xTaps) = Weights(box.Left, box.Width, image.Width, size);
        var (yStart, yCount, yWeights, yTaps) = Weights(box.Top, box.Height, image.Height, size);

        // Only the rows some output row reads are filtered horizontally.
        var firstRow = yStart[0];
        var lastRow = 0;
        for (var y = 0; y < size; y++)
            lastRow = Math.Max(lastRow, yStart[y] + yCount[y]);
        var rows = lastRow - firstRow;
        var buffer = ArrayPool<float>.Shared.Rent(rows * size * channels);
        try
        {
            var pixels = image.Pixels;
            for (var r = 0; r < rows; r++)
            {
                var rowOffset = (firstRow + r) * width * channels;
                for (var x = 0; x < size; x++)
                {
                    var weights = x * xTaps;
                    var output = (r * size + x) * channels;
                    for (var c = 0; c < channels; c++)
                    {
                        float sum = 0;
                        var input = rowOffset + xStart[x] * channels + c;
                        for (var k = 0; k < xCount[x]; k++, input += channels)
                            sum += pixels[input] * xWeights[weights + k];
                        buffer[output + c] = sum;
                    }
                }
            }

            var plane = size * size;
            for (var y = 0; y < size; y++)
            {
                var weights = y * yTaps;
                for (var x = 0; x < size; x++)
                {
                    var column = flip ? size - 1 - x : x;
                    for (var c = 0; c < channels; c++)
                    {
                        float sum = 0;
                        var input = ((yStart[y] - firstRow) * size + x) * channels + c;
                        for (var k = 0; k < yCount[y]; k++, input += size * channels)
                            sum += buffer[input] * yWeights[weights + k];
                        destination[c * plane + y * size + column] = (byte)Math.Clamp((int)MathF.Round(sum), 0, 255);
                    }
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
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

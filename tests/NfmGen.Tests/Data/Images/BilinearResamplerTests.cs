using NfmGen.Data;
using NfmGen.Data.Images;

namespace NfmGen.Tests.Data.Images;

/// <summary>
/// The vectorised resize against the arithmetic it must keep, written out pixel by pixel: PIL's bilinear weights
/// (support widened by the scale when shrinking) normalised in double and stored as float, a horizontal pass summing
/// float products in tap order, a vertical pass doing the same on those sums, rounded half to even and clamped.
/// </summary>
public sealed class BilinearResamplerTests : IDisposable
{
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    [Theory]
    [InlineData(3, 1)]
    [InlineData(3, 7)]
    [InlineData(3, 24)]
    [InlineData(3, 33)]
    [InlineData(1, 33)]
    public void RenderGivesTheBitsOfThePlainSeparableSums(int channels, int size)
    {
        var random = new Random(7);
        var path = ImageTreeWriter.Write(folder.File("noise.png"), 157, 113, (_, _) => ((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256)));
        var image = ImageDecoder.Decode(path, channels);
        var transform = ImageTransform.Evaluation(size, channels == 3 ? Normalization.ImageNet : new Normalization([0.5f], [0.25f]), channels);
        var actual = new byte[channels * size * size];
        for (var draw = 0; draw < 40; draw++)
        {
            // Shrinking and enlarging crops, fractional corners, some touching the image's edges.
            var width = 1 + random.NextDouble() * 156;
            var height = 1 + random.NextDouble() * 112;
            var box = new CropBox(random.NextDouble() * (157 - width), random.NextDouble() * (113 - height), width, height);
            var flip = draw % 2 == 1;
            transform.Render(image, box, flip, actual);
            Assert.Equal(Reference(image, box, size, flip), actual);
        }
    }

    private static byte[] Reference(DecodedImage image, CropBox box, int size, bool flip)
    {
        var channels = image.Channels;
        var xs = Taps(box.Left, box.Width, image.Width, size);
        var ys = Taps(box.Top, box.Height, image.Height, size);
        var horizontal = new float[image.Height, size, channels];
        for (var row = 0; row < image.Height; row++)
            for (var x = 0; x < size; x++)
                for (var c = 0; c < channels; c++)
                {
                    var sum = 0f;
                    foreach (var (column, weight) in xs[x])
                        sum += image.Pixels[(row * image.Width + column) * channels + c] * weight;
                    horizontal[row, x, c] = sum;
                }
        var output = new byte[channels * size * size];
        for (var y = 0; y < size; y++)
            for (var x = 0; x < size; x++)
                for (var c = 0; c < channels; c++)
                {
                    var sum = 0f;
                    foreach (var (row, weight) in ys[y])
                        sum += horizontal[row, x, c] * weight;
                    output[c * size * size + y * size + (flip ? size - 1 - x : x)] = (byte)Math.Clamp((int)MathF.Round(sum), 0, 255);
                }
        return output;
    }

    private static (int Index, float Weight)[][] Taps(double offset, double length, int inputSize, int outputSize)
    {
        var scale = length / outputSize;
        var support = Math.Max(scale, 1.0);
        var taps = new (int, float)[outputSize][];
        for (var x = 0; x < outputSize; x++)
        {
            var center = offset + (x + 0.5) * scale;
            var min = Math.Max(0, (int)Math.Floor(center - support + 0.5));
            var max = Math.Min(inputSize, (int)Math.Floor(center + support + 0.5));
            if (max <= min)
                (min, max) = (Math.Clamp((int)center, 0, inputSize - 1), Math.Clamp((int)center, 0, inputSize - 1) + 1);
            var n = Math.Min(max - min, (int)Math.Ceiling(support) * 2 + 1);
            var w = Enumerable.Range(0, n).Select(k => Math.Max(0, 1 - Math.Abs((k + min - center + 0.5) / support))).ToArray();
            var total = w.Sum();
            taps[x] = Enumerable.Range(0, n).Select(k => (min + k, (float)(total > 0 ? w[k] / total : 1.0 / n))).ToArray();
        }
        return taps;
    }
}

using NfmGen.Data;
using NfmGen.Data.Augmentation;
using NfmGen.Data.Images;

namespace NfmGen.Benchmarks.Rigs;

/// <summary>
/// AugMix's per-image work as the loader does it, on one thread: one mixture of a 32x32 RGB (or 28x28 grey) image per
/// call, the reference's defaults (width 3, depth 1-3, severity 3, the nine default operations), over a set of
/// random images so that the operations meet varied pixels.
/// </summary>
public sealed class AugMixRig
{
    private readonly AugMixViews views;
    private readonly byte[][] images;
    private readonly float[] output;
    private int next;

    /// <summary>A rig over <paramref name="count"/> random images of <paramref name="channels"/> x <paramref name="side"/>².</summary>
    public AugMixRig(int channels = 3, int side = 32, int count = 256)
    {
        var shape = new PlanarImage(channels, side, side);
        var random = new Random(5);
        images = [.. Enumerable.Range(0, count).Select(_ => { var pixels = new byte[shape.Bytes]; random.NextBytes(pixels); return pixels; })];
        views = new AugMixViews(new AugMixOptions(), shape, channels == 3 ? Normalization.Cifar10 : Normalization.FashionMnist);
        output = new float[shape.Bytes];
    }

    /// <summary>Mixes <paramref name="count"/> images, each one mixture, and returns how many.</summary>
    public int Mix(int count)
    {
        for (var i = 0; i < count; i++, next++)
        {
            var random = new SampleRandom(1, 0, next);
            views.Mixture(images[next % images.Length], ref random, output);
        }
        return count;
    }
}

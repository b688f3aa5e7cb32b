using NfmGen.Data;
using static TorchSharp.torch;

namespace NfmGen.Benchmarks.Rigs;

/// <summary>Random inputs of the benchmarked shapes: timings do not depend on pixel values, so no dataset files are needed.</summary>
public static class SyntheticData
{
    /// <summary>A normalised-looking float batch [batch, channels, side, side] and int64 labels in 0..classes-1, owned by no scope.</summary>
    public static (Tensor Inputs, Tensor Labels) Batch(int batch, int channels, int side, int classes = 10, long seed = 1)
    {
        using var generator = new Generator((ulong)seed);
        var inputs = randn([batch, channels, side, side], generator: generator).DetachFromDisposeScope();
        var labels = randint(0, classes, [batch], ScalarType.Int64, generator: generator).DetachFromDisposeScope();
        return (inputs, labels);
    }

    /// <summary>An in-memory uint8 image dataset of <paramref name="count"/> random images [channels, side, side].</summary>
    public static LabeledDataset Images(long count, int channels = 3, int side = 32, int classes = 10, long seed = 2)
    {
        using var generator = new Generator((ulong)seed);
        var images = randint(0, 256, [count, channels, side, side], ScalarType.Byte, generator: generator);
        var labels = randint(0, classes, [count], ScalarType.Int64, generator: generator);
        var normalization = channels == 3 ? Normalization.Cifar10 : Normalization.FashionMnist;
        return new ImageDataset(channels == 3 ? "synthetic-cifar" : "synthetic-28x28", images, labels, classes, normalization);
    }
}

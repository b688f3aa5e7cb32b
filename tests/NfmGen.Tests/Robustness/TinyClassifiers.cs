using NfmGen.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace NfmGen.Tests.Robustness;

/// <summary>Small image sets and models for the robustness tests: fast to build, train and attack.</summary>
internal static class TinyClassifiers
{
    /// <summary>
    /// 3x8x8 images of two classes: the top half is 0.05 brighter than the bottom half (class 1) or darker (class 0),
    /// under uniform pixel noise of ±0.2 around grey. Linearly separable by the halves' mean, but only by 0.05 a pixel,
    /// so an L∞ budget above 0.05 can flip every image while random noise of that size hardly matters.
    /// </summary>
    public static ImageDataset HalfBrightness(int count, long seed)
    {
        using var scope = NewDisposeScope();
        using var generator = new torch.Generator((ulong)seed);
        var labels = randint(0, 2, [count], ScalarType.Int64, generator: generator);
        var pixels = rand([count, 3, 8, 8], generator: generator).mul_(0.4).add_(0.3);
        var sign = (labels * 2 - 1).to_type(ScalarType.Float32).view(count, 1, 1, 1);
        pixels[.., .., ..4, ..] += 0.05 * sign;
        pixels[.., .., 4.., ..] -= 0.05 * sign;
        var images = pixels.mul_(255).round_().to_type(ScalarType.Byte);
        return new ImageDataset("half-brightness", images.DetachFromDisposeScope(), labels.DetachFromDisposeScope(), classCount: 2, Normalization.Cifar10);
    }

    /// <summary>A linear classifier over the flattened image, zero-initialised (so deterministic) and trained on all of <paramref name="data"/>.</summary>
    public static nn.Module<Tensor, Tensor> TrainedLinear(ImageDataset data, int steps = 150)
    {
        var model = nn.Sequential(nn.Flatten(), nn.Linear(data.InputShape.Aggregate(1L, (a, b) => a * b), data.ClassCount));
        using (no_grad())
        {
            foreach (var parameter in model.parameters())
                parameter.zero_();
        }

        using var inputs = data.Normalization.Normalize(data.Images);
        using var optimizer = optim.Adam(model.parameters(), lr: 0.02);
        model.train();
        for (int step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            nn.functional.cross_entropy(model.call(inputs), data.Labels).backward();
            optimizer.step();
        }
        return model;
    }

    /// <summary>A tiny convnet with random weights, for properties that hold for any model.</summary>
    public static nn.Module<Tensor, Tensor> TinyConv(int channels = 3, int classes = 3) =>
        nn.Sequential(nn.Conv2d(channels, 4, 3, padding: 1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(4, classes));

    /// <summary>uint8 images <c>[N, C, H, W]</c> with every value 0..255 likely, extremes included.</summary>
    public static Tensor RandomImages(long count, int channels, int side, long seed)
    {
        using var generator = new torch.Generator((ulong)seed);
        return randint(0, 256, [count, channels, side, side], ScalarType.Int64, generator: generator).to_type(ScalarType.Byte);
    }

    /// <summary>The fraction of <paramref name="inputs"/> that <paramref name="model"/> classifies as <paramref name="labels"/>.</summary>
    public static double Accuracy(nn.Module<Tensor, Tensor> model, Tensor inputs, Tensor labels)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        return model.call(inputs).argmax(1).eq(labels).to_type(ScalarType.Float64).mean().item<double>();
    }
}

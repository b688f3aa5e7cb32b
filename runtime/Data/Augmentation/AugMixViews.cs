using NfmGen.Data.Images;
using NfmGen.Randomness;
using TorchSharp;

namespace NfmGen.Data.Augmentation;

/// <summary>
/// AugMix's three views of each image of a batch (google-research/augmix, <c>cifar.py</c>'s <c>AugMixDataset</c> and
/// <c>aug</c>): the clean image and two mixtures, each <c>(1 − m)·x + m·Σᵢ wᵢ·chainᵢ(x)</c> with w ~ Dirichlet(1, …, 1),
/// m ~ Beta(1, 1) and each chain 1 to 3 random operations, computed on normalised float32 images in the reference's
/// order. A sample's draws come from its own stream, seeded by (seed, epoch, dataset index): the views depend on
/// nothing else (not the batch, the thread or a resume).
/// </summary>
/// <param name="options">The AugMix settings.</param>
/// <param name="image">The shape of every image.</param>
/// <param name="normalization">How pixels become network inputs (the reference's <c>preprocess</c>).</param>
internal sealed class AugMixViews(AugMixOptions options, PlanarImage image, Normalization normalization)
{
    /// <summary>The views of each image: clean, then two mixtures; a batch of B images becomes 3B rows, view by view.</summary>
    public const int Count = 3;

    // The stream of the loader's seed that AugMix draws from, apart from the crops' and flips'.
    private const long Stream = 1;

    private readonly float[] table = normalization.ByteTable();

    /// <summary>The settings.</summary>
    public AugMixOptions Options { get; } = options;

    /// <summary>
    /// The views of the <c>B</c> images <paramref name="pixels"/> (uint8 <c>[B, C, H, W]</c>, dataset indices
    /// <paramref name="indices"/>) for <paramref name="epoch"/>: float32 <c>[3B, C, H, W]</c>, the B clean images first,
    /// then the B first mixtures, then the B second ones (the reference's <c>torch.cat(images, 0)</c>), on
    /// <paramref name="workers"/> threads.
    /// </summary>
    public float[] Batch(byte[] pixels, long[] indices, long seed, int epoch, int workers)
    {
        var count = indices.Length;
        var views = new float[(long)Count * count * image.Bytes];
        var streamSeed = Seeds.Derive(seed, Stream);
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, workers) }, b =>
        {
            var random = new SampleRandom(streamSeed, epoch, indices[b]);
            var sample = pixels.AsSpan(b * image.Bytes, image.Bytes);
            Normalize(sample, Row(views, 0, b, count));
            Mixture(sample, ref random, Row(views, 1, b, count));
            Mixture(sample, ref random, Row(views, 2, b, count));
        });
        return views;
    }

    /// <summary>
    /// The views of a batch (<see cref="Batch"/>) as the network's inputs on <paramref name="request"/>'s device, float32
    /// <c>[3B, C, H, W]</c>, with the sample streams of its seed and epoch.
    /// </summary>
    public torch.Tensor Inputs(byte[] pixels, long[] indices, GatherRequest request, int workers)
    {
        var views = Batch(pixels, indices, request.Seed, request.Epoch, workers);
        var cpuViews = torch.tensor(views, [Count * indices.Length, image.Channels, image.Height, image.Width]);
        if (request.Device.type == DeviceType.CPU)
            return cpuViews;
        using (cpuViews)
            return cpuViews.to(request.Device);
    }

    /// <summary>
    /// One mixture of <paramref name="pixels"/>, with its draws from <paramref name="random"/> in the reference's order:
    /// the chain weights, m, then each chain's depth (when random) and each operation with its level and sign.
    /// </summary>
    public void Mixture(ReadOnlySpan<byte> pixels, ref SampleRandom random, Span<float> destination)
    {
        var weights = DirichletOfOnes(ref random, Options.Width);
        var m = (float)random.NextDouble(); // Beta(1, 1)
        var chains = new (AugMixOperation Operation, double Parameter)[Options.Width][];
        var operations = Options.Operations;
        for (var i = 0; i < Options.Width; i++)
        {
            var depth = Options.Depth ?? 1 + random.Below(3);
            chains[i] = new (AugMixOperation, double)[depth];
            for (var d = 0; d < depth; d++)
            {
                var operation = operations[random.Below(operations.Count)];
                var u = AugMixOperations.DrawsLevel(operation) ? random.NextDouble() : 0;
                var coin = AugMixOperations.DrawsSign(operation) ? random.NextDouble() : 0;
                chains[i][d] = (operation, AugMixOperations.Parameter(operation, Options.Severity, u, coin, image));
            }
        }
        Mix(pixels, chains, weights, m, destination);
    }

    /// <summary>
    /// <c>aug</c> with its draws given: mix += wᵢ·preprocess(chainᵢ(x)), then (1 − m)·preprocess(x) + m·mix, each
    /// operation in float32 as torch computes it.
    /// </summary>
    public void Mix(ReadOnlySpan<byte> pixels, IReadOnlyList<IReadOnlyList<(AugMixOperation Operation, double Parameter)>> chains,
        ReadOnlySpan<float> weights, float m, Span<float> destination)
    {
        var bytes = image.Bytes;
        var mix = new float[bytes];
        var current = new byte[bytes];
        var next = new byte[bytes];
        var normalized = new float[bytes];
        for (var i = 0; i < chains.Count; i++)
        {
            pixels.CopyTo(current);
            foreach (var (operation, parameter) in chains[i])
            {
                AugMixOperations.Apply(operation, parameter, current, next, image);
                (current, next) = (next, current);
            }
            Normalize(current, normalized);
            for (var j = 0; j < bytes; j++)
                mix[j] += weights[i] * normalized[j];
        }
        Normalize(pixels, normalized);
        var keep = 1 - m;
        for (var j = 0; j < bytes; j++)
            destination[j] = keep * normalized[j] + m * mix[j];
    }

    private void Normalize(ReadOnlySpan<byte> pixels, Span<float> destination)
    {
        for (var c = 0; c < image.Channels; c++)
        {
            var channel = table.AsSpan(c * 256, 256);
            var plane = image.PlaneOf(pixels, c);
            var output = destination.Slice(c * image.Plane, image.Plane);
            for (var i = 0; i < plane.Length; i++)
                output[i] = channel[plane[i]];
        }
    }

    private Span<float> Row(float[] views, int view, int sample, int count) =>
        views.AsSpan(checked((int)(((long)view * count + sample) * image.Bytes)), image.Bytes);

    // np.float32(np.random.dirichlet([1] * width)): Gamma(1) draws (exponentials) over their sum.
    private static float[] DirichletOfOnes(ref SampleRandom random, int width)
    {
        var draws = new double[width];
        for (var i = 0; i < width; i++)
            draws[i] = -Math.Log(1 - random.NextDouble());
        var sum = draws.Sum();
        if (sum == 0)
            return [.. draws.Select(_ => 1f / width)]; // every draw 0 (u = 0 each time, about 2^-53 apiece): equal weights, not 0/0
        return [.. draws.Select(draw => (float)(draw / sum))];
    }
}

using NfmGen.Network;
using static TorchSharp.torch;

namespace NfmGen.Data;

/// <summary>
/// The 2-D two-class datasets of the decision-boundary experiment, laid out as scikit-learn's
/// <c>make_moons</c> and <c>make_circles</c>: class 0 first (N/2 rounded down), then class 1, then Gaussian
/// jitter on every point and a fraction of labels flipped. Everything is drawn from one CPU <see cref="Generator"/>
/// seeded with the seed, so the same arguments give the same data on every machine; the tensors live on the CPU.
/// </summary>
internal static class ToyDatasets
{
    /// <summary>
    /// Two interleaving half circles: class 0 on <c>(cos t, sin t)</c>, class 1 on <c>(1 - cos t, 0.5 - sin t)</c>,
    /// t evenly spaced over [0, pi].
    /// </summary>
    /// <param name="count">The number of points, at least 2.</param>
    /// <param name="jitter">The standard deviation of the Gaussian noise added to each coordinate, &gt;= 0.</param>
    /// <param name="labelNoise">The fraction of labels flipped, in [0, 1]; exactly round(count * labelNoise) points.</param>
    /// <param name="seed">The seed of the generator (libtorch's CPU generator uses its low 32 bits).</param>
    public static FeatureDataset TwoMoons(int count, double jitter, double labelNoise, long seed)
    {
        Check(count, jitter, labelNoise);
        using var scope = NewDisposeScope();
        using var scalars = new ScalarScope();
        long outer = count / 2, inner = count - outer;
        var tOuter = linspace(0, Math.PI, outer, ScalarType.Float64, CPU);
        var tInner = linspace(0, Math.PI, inner, ScalarType.Float64, CPU);
        var x = cat([tOuter.cos(), tInner.cos().negative().add(scalars.Of(1), scalars.Of(1))]);
        var y = cat([tOuter.sin(), tInner.sin().negative().add(scalars.Of(0.5), scalars.Of(1))]);
        return Finish("two-moons", x, y, outer, inner, jitter, labelNoise, seed);
    }

    /// <summary>
    /// Two concentric circles: class 0 on the unit circle, class 1 on the circle of radius <paramref name="factor"/>,
    /// angles evenly spaced over [0, 2 pi).
    /// </summary>
    /// <param name="count">The number of points, at least 2.</param>
    /// <param name="jitter">The standard deviation of the Gaussian noise added to each coordinate, &gt;= 0.</param>
    /// <param name="labelNoise">The fraction of labels flipped, in [0, 1]; exactly round(count * labelNoise) points.</param>
    /// <param name="seed">The seed of the generator (libtorch's CPU generator uses its low 32 bits).</param>
    /// <param name="factor">The inner radius, in (0, 1); scikit-learn's default is 0.8.</param>
    public static FeatureDataset Circles(int count, double jitter, double labelNoise, long seed, double factor = 0.8)
    {
        Check(count, jitter, labelNoise);
        if (!(factor > 0 && factor < 1))
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "factor (the inner radius) must be in (0, 1).");
        using var scope = NewDisposeScope();
        using var scalars = new ScalarScope();
        long outer = count / 2, inner = count - outer;
        var tOuter = arange(scalars.Of(0), scalars.Of(outer), scalars.Of(1), ScalarType.Float64, CPU) * scalars.Of(2 * Math.PI / outer);
        var tInner = arange(scalars.Of(0), scalars.Of(inner), scalars.Of(1), ScalarType.Float64, CPU) * scalars.Of(2 * Math.PI / inner);
        var x = cat([tOuter.cos(), scalars.Of(factor) * tInner.cos()]);
        var y = cat([tOuter.sin(), scalars.Of(factor) * tInner.sin()]);
        return Finish("circles", x, y, outer, inner, jitter, labelNoise, seed);
    }

    private static void Check(int count, double jitter, double labelNoise)
    {
        if (count < 2)
            throw new ArgumentOutOfRangeException(nameof(count), count, "count must be >= 2 (one point per class at least).");
        if (!(jitter >= 0) || double.IsInfinity(jitter))
            throw new ArgumentOutOfRangeException(nameof(jitter), jitter, "jitter (a standard deviation) must be >= 0 and finite.");
        if (!(labelNoise >= 0 && labelNoise <= 1))
            throw new ArgumentOutOfRangeException(nameof(labelNoise), labelNoise, "labelNoise (a fraction of labels) must be in [0, 1].");
    }

    /// <summary>Adds jitter, flips labels, and hands the tensors to a dataset, out of the caller's dispose scope.</summary>
    private static FeatureDataset Finish(string name, Tensor x, Tensor y, long outer, long inner, double jitter, double labelNoise, long seed)
    {
        using var generator = new Generator(unchecked((ulong)seed), CPU);
        using var scalars = new ScalarScope();
        long count = outer + inner;
        var points = stack([x, y], dim: 1).add(scalars.Of(jitter) * randn([count, 2], ScalarType.Float64, CPU, generator: generator), scalars.Of(1));
        var labels = cat([zeros(outer, ScalarType.Int64, CPU), ones(inner, ScalarType.Int64, CPU)]);

        long flips = (long)Math.Round(count * labelNoise);
        var flipped = zeros(count, ScalarType.Bool, CPU).index_fill_(0, randperm(count, ScalarType.Int64, CPU, generator: generator).narrow(0, 0, flips), scalars.Of(true));
        labels = where(flipped, labels.negative().add(scalars.Of(1), scalars.Of(1)), labels);

        return new FeatureDataset(name, points.to_type(ScalarType.Float32), labels, classCount: 2);
    }
}

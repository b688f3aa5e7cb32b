using NfmGen.Data;
using static TorchSharp.torch;

namespace NfmGen.Tests.Data;

/// <summary>Two moons and circles: shape, balance, exact label-noise fraction, and the same data from the same seed.</summary>
public sealed class ToyDatasetsTests
{
    public static TheoryData<string> Kinds => new() { "two-moons", "circles" };

    private static FeatureDataset Make(string kind, int count, double jitter, double labelNoise, long seed) => kind switch
    {
        "two-moons" => ToyDatasets.TwoMoons(count, jitter, labelNoise, seed),
        "circles" => ToyDatasets.Circles(count, jitter, labelNoise, seed),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "two-moons or circles"),
    };

    /// <summary>The class each noise-free point lies on, from geometry alone.</summary>
    private static Tensor CleanLabels(string kind, Tensor points)
    {
        var x = points.select(1, 0);
        var y = points.select(1, 1);
        return kind == "two-moons"
            // Class 0 lies on the upper unit semicircle (class 1's moon meets the unit circle only below y = 0).
            ? (((x.square() + y.square()).sqrt() - 1).abs().lt(1e-4) & y.ge(-1e-6)).logical_not().to_type(ScalarType.Int64)
            : (x.square() + y.square()).sqrt().lt(0.9).to_type(ScalarType.Int64);             // class 1 on radius 0.8
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Features_are_float_pairs_with_balanced_int64_labels(string kind)
    {
        using var scope = NewDisposeScope();
        using var data = Make(kind, 101, jitter: 0.1, labelNoise: 0, seed: 3);

        Assert.Equal(ScalarType.Float32, data.Features.dtype);
        Assert.Equal([101L, 2L], data.Features.shape);
        Assert.Equal(ScalarType.Int64, data.Labels.dtype);
        Assert.Equal(2, data.ClassCount);
        Assert.Equal(new long[] { 50, 51 }, data.Labels.bincount(null).data<long>().ToArray());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Exactly_the_label_noise_fraction_of_labels_is_flipped(string kind)
    {
        using var scope = NewDisposeScope();
        using var data = Make(kind, 200, jitter: 0, labelNoise: 0.15, seed: 5);

        var flipped = data.Labels.ne(CleanLabels(kind, data.Features)).sum().item<long>();

        Assert.Equal(30, flipped);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Without_jitter_and_noise_every_point_lies_on_its_class_curve(string kind)
    {
        using var scope = NewDisposeScope();
        using var data = Make(kind, 64, jitter: 0, labelNoise: 0, seed: 5);

        Assert.True(data.Labels.Identical(CleanLabels(kind, data.Features)));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void The_same_seed_gives_the_same_data_and_another_seed_other_data(string kind)
    {
        using var scope = NewDisposeScope();
        using var first = Make(kind, 100, jitter: 0.1, labelNoise: 0.1, seed: 42);
        using var again = Make(kind, 100, jitter: 0.1, labelNoise: 0.1, seed: 42);
        using var other = Make(kind, 100, jitter: 0.1, labelNoise: 0.1, seed: 43);

        Assert.True(first.Features.Identical(again.Features) && first.Labels.Identical(again.Labels));
        Assert.False(first.Features.Identical(other.Features));
        Assert.False(first.Labels.Identical(other.Labels));
    }

    [Fact]
    public void Jitter_has_the_requested_standard_deviation()
    {
        using var scope = NewDisposeScope();
        using var clean = ToyDatasets.Circles(4000, jitter: 0, labelNoise: 0, seed: 1);
        using var noisy = ToyDatasets.Circles(4000, jitter: 0.05, labelNoise: 0, seed: 1);

        double std = (noisy.Features - clean.Features).std().item<float>();

        Assert.InRange(std, 0.048, 0.052);
    }

    [Fact]
    public void Bad_arguments_name_the_value_and_the_range()
    {
        Assert.Contains("count must be >= 2", Assert.Throws<ArgumentOutOfRangeException>(() => ToyDatasets.TwoMoons(1, 0, 0, 0)).Message);
        Assert.Contains("jitter (a standard deviation) must be >= 0", Assert.Throws<ArgumentOutOfRangeException>(() => ToyDatasets.TwoMoons(10, -1, 0, 0)).Message);
        Assert.Contains("labelNoise (a fraction of labels) must be in [0, 1]", Assert.Throws<ArgumentOutOfRangeException>(() => ToyDatasets.Circles(10, 0, 1.5, 0)).Message);
        Assert.Contains("Actual value was 1.", Assert.Throws<ArgumentOutOfRangeException>(() => ToyDatasets.Circles(10, 0, 0, 0, factor: 1)).Message);
    }
}

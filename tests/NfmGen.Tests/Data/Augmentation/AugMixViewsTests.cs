using NfmGen.Data;
using NfmGen.Data.Augmentation;

namespace NfmGen.Tests.Data.Augmentation;

/// <summary>AugMix's mixtures against the reference's <c>aug</c> with the same draws, and the views' seeding.</summary>
public sealed class AugMixViewsTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void A_mixture_is_the_references_aug_with_the_same_draws_bit_for_bit(int mixture)
    {
        var key = $"mix_{mixture}_";
        var (pixels, shape) = AugMixGolden.Image((int)AugMixGolden.Get(key + "image").Longs[0]);
        var normalization = new Normalization([.. AugMixGolden.Get(key + "mean").Floats], [.. AugMixGolden.Get(key + "std").Floats]);
        var operations = AugMixGolden.Get(key + "ops");
        var parameters = AugMixGolden.Get(key + "parameters").Doubles;
        var depth = (int)operations.Shape[1];
        var chains = Enumerable.Range(0, (int)operations.Shape[0])
            .Select(chain => (IReadOnlyList<(AugMixOperation, double)>)Enumerable.Range(0, depth)
                .Where(d => operations.Longs[chain * depth + d] >= 0)
                .Select(d => ((AugMixOperation)operations.Longs[chain * depth + d], parameters[chain * depth + d]))
                .ToList())
            .ToList();
        var weights = AugMixGolden.Get(key + "ws").Doubles.Select(w => (float)w).ToArray();
        var m = (float)AugMixGolden.Get(key + "m").Doubles[0];

        var actual = new float[shape.Bytes];
        new AugMixViews(new AugMixOptions(), shape, normalization).Mix(pixels, chains, weights, m, actual);

        var expected = AugMixGolden.Get(key + "mixed").Floats;
        var differences = expected.Zip(actual, (e, a) => Math.Abs(e - a)).ToArray();
        Assert.True(differences.Max() == 0, FormattableString.Invariant($"{differences.Count(d => d > 0)} of {actual.Length} values differ, by up to {differences.Max()}"));
    }

    [Fact]
    public void The_views_are_the_clean_image_then_two_different_mixtures_each_seeded_by_its_own_sample()
    {
        var shape = new PlanarImage(3, 32, 32);
        var (first, _) = AugMixGolden.Image(0);
        var (second, _) = AugMixGolden.Image(1);
        var views = new AugMixViews(new AugMixOptions(), shape, Normalization.Cifar10);

        var batch = views.Batch([.. first, .. second], [7, 8], seed: 5, epoch: 2, workers: 2);
        var alone = views.Batch(second, [8], seed: 5, epoch: 2, workers: 1);
        var nextEpoch = views.Batch(second, [8], seed: 5, epoch: 3, workers: 1);

        float[] View(float[] all, int count, int view, int sample) => all.AsSpan((view * count + sample) * shape.Bytes, shape.Bytes).ToArray();
        var table = Normalization.Cifar10.ByteTable();
        Assert.Equal(Enumerable.Range(0, shape.Bytes).Select(i => table[i / shape.Plane * 256 + first[i]]), View(batch, 2, 0, 0));
        for (var view = 0; view < AugMixViews.Count; view++)
            Assert.Equal(View(alone, 1, view, 0), View(batch, 2, view, 1)); // the batch and the thread do not matter
        Assert.NotEqual(View(batch, 2, 1, 1), View(batch, 2, 2, 1));
        Assert.NotEqual(View(alone, 1, 1, 0), View(nextEpoch, 1, 1, 0));
        Assert.Equal(View(alone, 1, 0, 0), View(nextEpoch, 1, 0, 0));
    }

    [Theory]
    [InlineData(0, 3, null, 12.0, "Severity")]
    [InlineData(11, 3, null, 12.0, "Severity")]
    [InlineData(3, 0, null, 12.0, "Width")]
    [InlineData(3, 17, null, 12.0, "Width")]
    [InlineData(3, 3, 17, 12.0, "Depth")]
    [InlineData(3, 3, 0, 12.0, "Depth")]
    [InlineData(3, 3, null, -1.0, "JsdWeight")]
    [InlineData(3, 3, null, double.NaN, "JsdWeight")]
    public void Settings_out_of_range_are_refused_by_name(int severity, int width, int? depth, double jsdWeight, string name)
    {
        var options = new AugMixOptions { Severity = severity, Width = width, Depth = depth, JsdWeight = jsdWeight };
        var error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Equal(name, error.ParamName);
        Assert.Contains("was", error.Message);
    }
}

using NfmGen.Data.Augmentation;

namespace NfmGen.Tests.Data.Augmentation;

/// <summary>Every AugMix operation, pixel for pixel against Pillow 9.4 running google-research/augmix's operations (Golden/augmix.npz).</summary>
public sealed class AugMixOperationTests
{
    public static TheoryData<int, int> Cases()
    {
        var cases = new TheoryData<int, int>();
        for (var image = 0; image < AugMixGolden.ImageCount; image++)
            foreach (var operation in Enum.GetValues<AugMixOperation>())
                cases.Add(image, (int)operation);
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_operation_gives_pils_pixels_at_every_tested_parameter(int image, int operation)
    {
        var (pixels, shape) = AugMixGolden.Image(image);
        var name = AugMixGolden.OperationNames[operation];
        var settings = AugMixGolden.Get($"setting_{name}").Doubles;
        for (var s = 0; s < settings.Length; s++)
        {
            var (expected, _) = AugMixGolden.Planar(AugMixGolden.Get($"op_{image}_{name}_{s}"));
            var actual = new byte[shape.Bytes];
            AugMixOperations.Apply((AugMixOperation)operation, settings[s], pixels, actual, shape);
            var differing = Enumerable.Range(0, actual.Length).Count(i => actual[i] != expected[i]);
            var largest = Enumerable.Range(0, actual.Length).Select(i => Math.Abs(actual[i] - expected[i])).Max();
            Assert.True(differing == 0, FormattableString.Invariant($"{name}({settings[s]}) on image {image}: {differing} of {actual.Length} pixels differ from PIL's, by up to {largest}"));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(10)]
    public void Levels_scale_as_the_references_sample_level_and_parameters(int severity)
    {
        var us = AugMixGolden.Get("level_u").Doubles;
        foreach (var size in new[] { 28, 32, 224 })
        {
            var shape = new PlanarImage(3, size, size);
            (string Name, AugMixOperation Operation)[] operations =
            [
                ("posterize", AugMixOperation.Posterize), ("rotate", AugMixOperation.Rotate), ("solarize", AugMixOperation.Solarize),
                ("shear", AugMixOperation.ShearX), ("translate", AugMixOperation.TranslateX), ("enhance", AugMixOperation.Contrast),
            ];
            foreach (var (name, operation) in operations)
            {
                var expected = AugMixGolden.Get($"level_{name}_{severity}_{size}").Doubles;
                var actual = us.Select(u => AugMixOperations.Parameter(operation, severity, u, coin: 0, shape)).ToArray();
                Assert.Equal(expected, actual);
            }
        }
    }

    [Fact]
    public void A_coin_above_one_half_negates_the_geometric_operations_only()
    {
        var shape = new PlanarImage(3, 32, 32);
        foreach (var operation in Enum.GetValues<AugMixOperation>())
        {
            var heads = AugMixOperations.Parameter(operation, 10, 0.7, coin: 0.2, shape);
            var tails = AugMixOperations.Parameter(operation, 10, 0.7, coin: 0.8, shape);
            Assert.Equal(AugMixOperations.DrawsSign(operation) ? -heads : heads, tails);
        }
    }

    [Theory]
    [InlineData(0.9961946980917455)]
    [InlineData(-0.08715574274765817)]
    [InlineData(0.5000000000000005)]
    [InlineData(1e-17)]
    public void Round15_rounds_the_exact_binary_value_as_python(double value)
    {
        // Python: round(0.9961946980917455, 15) = 0.996194698091746; round(-0.08715574274765817, 15) = -0.087155742747658;
        // round(0.5000000000000005, 15) = 0.500000000000001 (its exact value is above the tie); round(1e-17, 15) = 0.0.
        double[] expected = [0.996194698091746, -0.087155742747658, 0.500000000000001, 0.0];
        var index = Array.IndexOf(new[] { 0.9961946980917455, -0.08715574274765817, 0.5000000000000005, 1e-17 }, value);
        Assert.Equal(expected[index], PilAffine.Round15(value));
    }
}

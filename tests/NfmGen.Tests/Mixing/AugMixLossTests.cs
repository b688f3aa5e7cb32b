using NfmGen.Data.Augmentation;
using NfmGen.Mixing;
using NfmGen.Tests.Data.Augmentation;
using NfmGen.Training;
using static TorchSharp.torch;

namespace NfmGen.Tests.Mixing;

/// <summary>AugMix's loss against google-research/augmix's <c>train</c> (Golden/augmix.npz, float64 on python3-torch).</summary>
public sealed class AugMixLossTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void The_loss_is_the_clean_views_cross_entropy_plus_12_times_the_references_jsd(int index)
    {
        using var scope = NewDisposeScope();
        var logitsArray = AugMixGolden.Get($"jsd_{index}_logits");
        var logits = tensor(logitsArray.Doubles, logitsArray.Shape, ScalarType.Float64);
        var targets = tensor(AugMixGolden.Get($"jsd_{index}_targets").Longs);
        var unmixed = new NfmStep(0, 1.0, arange(targets.shape[0]), 0, 0);

        var loss = MixedLoss.Of(logits, targets, unmixed, TrainingScheme.AugMixed()).item<double>();
        var crossEntropy = MixedLoss.Of(logits, targets, unmixed, TrainingScheme.AugMixed(new AugMixOptions { JsdWeight = 0 })).item<double>();

        Assert.Equal(AugMixGolden.Get($"jsd_{index}_loss").Doubles[0], loss, 12);
        Assert.Equal(AugMixGolden.Get($"jsd_{index}_ce").Doubles[0], crossEntropy, 12);
    }

    [Fact]
    public void The_jsd_is_zero_for_identical_views_and_positive_otherwise()
    {
        using var scope = NewDisposeScope();
        var one = randn(5, 4, dtype: ScalarType.Float64);
        Assert.Equal(0, MixedLoss.JensenShannon(cat([one, one, one], 0), 3).item<double>(), 12);
        Assert.True(MixedLoss.JensenShannon(cat([one, one * 2, one], 0), 3).item<double>() > 1e-4);
        Assert.Throws<ArgumentException>(() => MixedLoss.JensenShannon(randn(7, 4), 3));
    }

    [Fact]
    public void The_mixed_loss_of_views_weights_the_clean_views_targets_by_lambda()
    {
        using var scope = NewDisposeScope();
        var logits = randn(12, 5, dtype: ScalarType.Float64);
        var targets = tensor(new long[] { 0, 4, 2, 1 });
        var step = new NfmStep(1, 0.3, tensor(new long[] { 2, 0, 3, 1 }), 0, 0) { LaterViews = [(0, 0), (0, 0)] };
        var noJsd = TrainingScheme.NoisyMix(new AugMixOptions { JsdWeight = 0 });
        var clean = logits.narrow(0, 0, 4);
        Assert.Equal(MixedLoss.CrossEntropy(clean, targets, step).item<double>(), MixedLoss.Of(logits, targets, step, noJsd).item<double>(), 12);
        var withJsd = MixedLoss.Of(logits, targets, step, TrainingScheme.NoisyMix()).item<double>();
        Assert.Equal(MixedLoss.CrossEntropy(clean, targets, step).item<double>() + 12 * MixedLoss.JensenShannon(logits, 3).item<double>(), withJsd, 12);
    }
}

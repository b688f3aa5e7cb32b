using NfmGen.Mixing;
using static TorchSharp.torch;

namespace NfmGen.Tests.Mixing;

public class NoisyFeatureMixerSamplingTests
{
    private const int Draws = 2000;

    private static List<NfmStep> SampleMany(NfmOptions options, NfmNetworkInfo network, int batchSize = 4, long seed = 1)
    {
        using var mixer = new NoisyFeatureMixer(options, network, seed, CPU);
        return Enumerable.Range(0, Draws).Select(_ => mixer.Sample(batchSize)).ToList();
    }

    [Theory]
    [InlineData(2.0, 3.0)]
    [InlineData(0.4, null)] // null: the reference's symmetric Beta(alpha, alpha)
    [InlineData(1.0, null)]
    public void Lambda_follows_Beta_alpha_beta(double alpha, double? beta)
    {
        using var scope = NewDisposeScope();
        var lambdas = SampleMany(new NfmOptions { Alpha = alpha, Beta = beta }, TestNetworks.PreActResNet18)
            .Select(step => step.Lambda).ToList();

        var (mean, variance, fourth) = Statistics.BetaMoments(alpha, beta ?? alpha);
        Assert.All(lambdas, lambda => Assert.InRange(lambda, 0.0, 1.0));
        Statistics.AssertMean(lambdas, mean, variance, "lambda");
        Statistics.AssertVariance(lambdas, variance, fourth, "lambda");
    }

    [Fact]
    public void Alpha_zero_gives_lambda_one_and_the_identity_permutation()
    {
        using var scope = NewDisposeScope();
        using var mixer = new NoisyFeatureMixer(NfmPresets.NoiseInjection(), TestNetworks.PreActResNet18, 3, CPU);
        for (var i = 0; i < 20; i++)
        {
            var step = mixer.Sample(6);
            Assert.Equal(1.0, step.Lambda);
            TensorAssert.Identical(arange(6L), step.Permutation);
        }
    }

    [Fact]
    public void The_permutation_is_a_permutation_of_the_batch_on_the_mixers_device()
    {
        using var scope = NewDisposeScope();
        using var mixer = new NoisyFeatureMixer(NfmPresets.Nfm(), TestNetworks.PreActResNet18, 3, CPU);
        var step = mixer.Sample(50);
        Assert.Equal(ScalarType.Int64, step.Permutation.dtype);
        Assert.Equal(TorchSharp.DeviceType.CPU, step.Permutation.device_type);
        TensorAssert.Identical(arange(50L), step.Permutation.sort().Values);
        Assert.False(TensorAssert.AreIdentical(arange(50L), step.Permutation));
    }

    [Theory]
    [InlineData(new[] { 1, 3 })]
    [InlineData(new[] { 0, 1, 2, 3 })]
    public void The_mix_point_is_uniform_over_the_selected_points(int[] points)
    {
        using var scope = NewDisposeScope();
        var chosen = SampleMany(NfmPresets.Nfm() with { MixPoints = MixPointSelection.Only(points) }, TestNetworks.PreActResNet18)
            .Select(step => step.MixPoint).ToList();

        Assert.All(chosen, point => Assert.Contains(point, points));
        var p = 1.0 / points.Length;
        foreach (var point in points)
            Statistics.AssertMean(chosen.Select(k => k == point ? 1.0 : 0.0).ToList(), p, p * (1 - p), $"share of mix point {point}");
    }

    [Fact]
    public void All_never_chooses_an_ineligible_input()
    {
        using var scope = NewDisposeScope();
        var chosen = SampleMany(NfmPresets.Nfm(), TestNetworks.NoInputMixing).Select(step => step.MixPoint).ToHashSet();
        Assert.Equal([1, 2], chosen.Order());
    }

    [Fact]
    public void Reference_noise_scales_are_the_levels_times_Beta_2_5()
    {
        using var scope = NewDisposeScope();
        var steps = SampleMany(NfmPresets.Nfm(additive: 0.4, multiplicative: 0.2), TestNetworks.PreActResNet18);
        var additive = steps.Select(step => step.AdditiveScale / 0.4).ToList();
        var multiplicative = steps.Select(step => step.MultiplicativeScale / 0.2).ToList();

        var (mean, variance, fourth) = Statistics.BetaMoments(2, 5);
        Assert.Equal(2.0 / 7, mean, 15);
        foreach (var (factors, what) in new[] { (additive, "additive scale"), (multiplicative, "multiplicative scale") })
        {
            Assert.All(factors, factor => Assert.InRange(factor, 0.0, 1.0));
            Statistics.AssertMean(factors, mean, variance, what);
            Statistics.AssertVariance(factors, variance, fourth, what);
        }
        // Each term has its own draw.
        Assert.NotEqual(additive, multiplicative);
    }

    [Fact]
    public void Fixed_noise_scales_are_the_levels()
    {
        using var scope = NewDisposeScope();
        var options = NfmPresets.Nfm(additive: 0.4, multiplicative: 0.2) with { NoiseScale = NoiseScaleRule.Fixed };
        using var mixer = new NoisyFeatureMixer(options, TestNetworks.PreActResNet18, 1, CPU);
        var step = mixer.Sample(4);
        Assert.Equal(0.4, step.AdditiveScale);
        Assert.Equal(0.2, step.MultiplicativeScale);
    }

    [Fact]
    public void A_zero_level_gives_a_zero_scale()
    {
        using var scope = NewDisposeScope();
        using var mixer = new NoisyFeatureMixer(NfmPresets.Nfm(additive: 0, multiplicative: 0.2), TestNetworks.PreActResNet18, 1, CPU);
        var step = mixer.Sample(4);
        Assert.Equal(0.0, step.AdditiveScale);
        Assert.True(step.MultiplicativeScale > 0);
    }

    [Fact]
    public void The_batch_size_must_be_positive()
    {
        using var mixer = new NoisyFeatureMixer(NfmPresets.Nfm(), TestNetworks.PreActResNet18, 1, CPU);
        Assert.Throws<ArgumentOutOfRangeException>(() => mixer.Sample(0));
    }

    [Fact]
    public void A_disposed_mixer_refuses_work()
    {
        var mixer = new NoisyFeatureMixer(NfmPresets.Nfm(), TestNetworks.PreActResNet18, 1, CPU);
        mixer.Dispose();
        mixer.Dispose();
        Assert.Throws<ObjectDisposedException>(() => mixer.Sample(4));
    }
}

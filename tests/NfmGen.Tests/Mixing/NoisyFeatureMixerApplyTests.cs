using NfmGen.Mixing;
using static TorchSharp.torch;

namespace NfmGen.Tests.Mixing;

public class NoisyFeatureMixerApplyTests
{
    private static readonly Tensor Permutation6 = tensor(new long[] { 3, 0, 5, 1, 4, 2 }).DetachFromDisposeScope();

    private static Tensor Randn(long seed, ScalarType dtype, params long[] shape)
    {
        using var generator = new TorchSharp.torch.Generator((ulong)seed, CPU);
        return randn(shape, dtype: dtype, generator: generator);
    }

    private static NoisyFeatureMixer FixedMixer(double alpha = 1, double additive = 0, double multiplicative = 0) =>
        new(new NfmOptions { Alpha = alpha, AdditiveNoise = additive, MultiplicativeNoise = multiplicative, NoiseScale = NoiseScaleRule.Fixed },
            TestNetworks.PreActResNet18, seed: 11, CPU);

    [Theory]
    [InlineData(ScalarType.Float64, 1e-15)]
    [InlineData(ScalarType.Float32, 1e-6)]
    public void Without_noise_Apply_is_the_convex_combination_with_the_permuted_batch(ScalarType dtype, double tolerance)
    {
        using var scope = NewDisposeScope();
        using var mixer = FixedMixer();
        var h = Randn(1, dtype, 6, 3, 2);
        var step = new NfmStep(1, 0.3, Permutation6, 0, 0);

        var expected = 0.3 * h + 0.7 * h.index_select(0, Permutation6);
        TensorAssert.Close(expected, mixer.Apply(h, step), tolerance);
    }

    [Fact]
    public void A_step_that_changes_nothing_returns_the_features()
    {
        using var scope = NewDisposeScope();
        using var mixer = new NoisyFeatureMixer(NfmPresets.Erm, TestNetworks.PreActResNet18, 1, CPU);
        var h = Randn(1, ScalarType.Float32, 6, 3);
        var step = mixer.Sample(6);
        TensorAssert.Identical(h, mixer.Apply(h, step));

        // Plain training passes any features through, token ids too.
        var tokens = arange(6L);
        TensorAssert.Identical(tokens, mixer.Apply(tokens, step));
    }

    [Fact]
    public void Disposing_the_result_of_a_step_that_changes_nothing_leaves_the_features_usable()
    {
        using var scope = NewDisposeScope();
        using var mixer = new NoisyFeatureMixer(NfmPresets.Erm, TestNetworks.PreActResNet18, 1, CPU);
        var h = Randn(1, ScalarType.Float32, 6, 3);
        var before = h.clone();

        using (var result = mixer.Apply(h, mixer.Sample(6)))
            Assert.NotSame(h, result);

        TensorAssert.Identical(before, h);
    }

    [Fact]
    public void Fixed_additive_noise_has_mean_zero_and_std_the_level()
    {
        using var scope = NewDisposeScope();
        using var mixer = FixedMixer(alpha: 0, additive: 0.3);
        var noise = Statistics.Values(mixer.Apply(zeros(200, 500), mixer.Sample(200)));

        var variance = 0.3 * 0.3;
        Statistics.AssertMean(noise, 0, variance, "additive noise");
        Statistics.AssertVariance(noise, variance, 3 * variance * variance, "additive noise"); // Gaussian: μ4 = 3σ⁴
    }

    [Fact]
    public void Fixed_multiplicative_noise_has_mean_one_and_variance_level_squared_over_three()
    {
        using var scope = NewDisposeScope();
        using var mixer = FixedMixer(alpha: 0, multiplicative: 0.5);
        var factors = Statistics.Values(mixer.Apply(ones(200, 500), mixer.Sample(200)));

        Assert.All(factors, factor => Assert.InRange(factor, 0.5, 1.5));
        var variance = 0.5 * 0.5 / 3;
        Statistics.AssertMean(factors, 1, variance, "multiplicative factor");
        Statistics.AssertVariance(factors, variance, Math.Pow(0.5, 4) / 5, "multiplicative factor"); // U(-s, s): μ4 = s⁴/5
    }

    [Fact]
    public void Both_noises_combine_as_factor_times_features_plus_noise()
    {
        using var scope = NewDisposeScope();
        using var mixer = FixedMixer(alpha: 0, additive: 0.3, multiplicative: 0.5);
        var values = Statistics.Values(mixer.Apply(full(200, 500, 2.0f), mixer.Sample(200)));

        // 2·(1 + 0.5·U) + 0.3·N: variance and fourth moment of a sum of independent terms.
        var (scaledUniform, gaussian) = (4 * 0.25 / 3, 0.09);
        var fourth = 16 * Math.Pow(0.5, 4) / 5 + 6 * scaledUniform * gaussian + 3 * gaussian * gaussian;
        Statistics.AssertMean(values, 2, scaledUniform + gaussian, "noisy features");
        Statistics.AssertVariance(values, scaledUniform + gaussian, fourth, "noisy features");
    }

    [Fact]
    public void Apply_uses_the_scales_drawn_for_the_step()
    {
        using var scope = NewDisposeScope();
        using var mixer = new NoisyFeatureMixer(NfmPresets.NoiseInjection(additive: 0.4, multiplicative: 0), TestNetworks.PreActResNet18, 5, CPU);
        var step = mixer.Sample(200);
        Assert.NotEqual(0.4, step.AdditiveScale);

        var noise = Statistics.Values(mixer.Apply(zeros(200, 500), step));
        var variance = step.AdditiveScale * step.AdditiveScale;
        Statistics.AssertVariance(noise, variance, 3 * variance * variance, "additive noise");
    }

    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(0.3, 0.0)]
    [InlineData(0.0, 0.5)]
    [InlineData(0.3, 0.5)]
    public void Apply_mixes_then_perturbs_and_gradients_reach_the_features(double additive, double multiplicative)
    {
        using var scope = NewDisposeScope();
        using var mixer = FixedMixer(additive: additive, multiplicative: multiplicative);
        var h = Randn(2, ScalarType.Float64, 6, 4).requires_grad_(true);
        var weights = Randn(3, ScalarType.Float64, 6, 4);
        var step = new NfmStep(2, 0.3, Permutation6, additive, multiplicative);
        var state = mixer.GetState();

        var output = mixer.Apply(h, step);
        (output * weights).sum().backward();

        // Replay the same draws on constant features to read the noise: A(0) = ξ_add, A(1) = factor + ξ_add.
        var unmixed = step with { Lambda = 1 };
        mixer.SetState(state);
        var noise = mixer.Apply(zeros(6, 4, dtype: ScalarType.Float64), unmixed);
        mixer.SetState(state);
        var factor = mixer.Apply(ones(6, 4, dtype: ScalarType.Float64), unmixed) - noise;

        using (no_grad())
        {
            var mixed = 0.3 * h + 0.7 * h.index_select(0, Permutation6);
            TensorAssert.Close(factor * mixed + noise, output.detach(), 1e-12);
        }
        // d/dh of Σ w·(f·(λh + (1 − λ)h[perm]) + ξ): λ·w·f, plus (1 − λ)·w·f scattered back through perm.
        var upstream = weights * factor;
        var expectedGradient = (0.3 * upstream).index_add_(0, Permutation6, 0.7 * upstream, alpha: 1);
        TensorAssert.Close(expectedGradient, h.grad!, 1e-12);
    }

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float64)]
    public void The_output_keeps_the_features_dtype_and_device(ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        using var mixer = new NoisyFeatureMixer(NfmPresets.Nfm(), TestNetworks.PreActResNet18, 1, CPU);
        var output = mixer.Apply(Randn(1, dtype, 8, 2, 3, 3), mixer.Sample(8));
        Assert.Equal(dtype, output.dtype);
        Assert.Equal(TorchSharp.DeviceType.CPU, output.device_type);
        Assert.Equal([8L, 2, 3, 3], output.shape);
    }

    [Fact]
    public void The_transform_applies_the_step()
    {
        using var scope = NewDisposeScope();
        using var mixer = new NoisyFeatureMixer(NfmPresets.Nfm(), TestNetworks.PreActResNet18, 1, CPU);
        var h = Randn(1, ScalarType.Float32, 8, 5);
        var step = mixer.Sample(8);
        var state = mixer.GetState();
        var direct = mixer.Apply(h, step);
        mixer.SetState(state);
        TensorAssert.Identical(direct, mixer.Transform(step).Apply(h));
    }

    [Fact]
    public void Features_of_another_batch_size_are_refused()
    {
        using var scope = NewDisposeScope();
        using var mixer = FixedMixer();
        var error = Assert.Throws<ArgumentException>(() => mixer.Apply(zeros(5, 3), new NfmStep(0, 0.3, Permutation6, 0, 0)));
        Assert.Contains("batch size 6", error.Message);
        Assert.Contains("[5, 3]", error.Message);
    }

    [Fact]
    public void Integer_features_are_refused_when_they_would_change()
    {
        using var scope = NewDisposeScope();
        using var mixer = FixedMixer();
        var error = Assert.Throws<ArgumentException>(() => mixer.Apply(arange(6L), new NfmStep(0, 0.3, Permutation6, 0, 0)));
        Assert.Contains("Int64", error.Message);
    }

    [SkippableFact]
    public void On_cuda_every_tensor_stays_on_the_device_and_the_seed_still_decides()
    {
        Skip.IfNot(cuda.is_available(), "needs a CUDA device");
        using var scope = NewDisposeScope();
        var device = CUDA;
        using var first = new NoisyFeatureMixer(NfmPresets.Nfm(), TestNetworks.PreActResNet18, 9, device);
        using var second = new NoisyFeatureMixer(NfmPresets.Nfm(), TestNetworks.PreActResNet18, 9, device);
        var h = Randn(1, ScalarType.Float32, 8, 3).to(device);

        var (a, b) = (first.Sample(8), second.Sample(8));
        Assert.Equal(TorchSharp.DeviceType.CUDA, a.Permutation.device_type);
        var (outputA, outputB) = (first.Apply(h, a), second.Apply(h, b));
        Assert.Equal(TorchSharp.DeviceType.CUDA, outputA.device_type);
        TensorAssert.Identical(outputA, outputB);
        Assert.Throws<ArgumentException>(() => first.Apply(h.cpu(), first.Sample(8)));
    }
}

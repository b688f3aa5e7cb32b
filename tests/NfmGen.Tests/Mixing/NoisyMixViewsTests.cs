using NfmGen.Mixing;
using NfmGen.Tests.Data.Augmentation;
using static TorchSharp.torch;

namespace NfmGen.Tests.Mixing;

/// <summary>The NFM mixer on AugMix's three views, as erichson/NoisyMix's <c>do_noisy_mixup</c> with <c>jsd=1</c> treats them.</summary>
public sealed class NoisyMixViewsTests
{
    private static NoisyFeatureMixer Mixer(NfmOptions options, int views = 3, long seed = 3) =>
        new(options, TestNetworks.PreActResNet18, seed, CPU, views);

    [Fact]
    public void Each_view_is_mixed_with_its_own_rows_by_one_lambda_and_one_permutation_as_the_reference()
    {
        using var scope = NewDisposeScope();
        var x = AugMixGolden.Get("noisymix_x");
        var features = tensor(x.Doubles, x.Shape, ScalarType.Float64);
        var step = new NfmStep(0, AugMixGolden.Get("noisymix_lambda").Doubles[0], tensor(AugMixGolden.Get("noisymix_index").Longs), 0, 0)
        {
            LaterViews = [(0, 0), (0, 0)],
        };
        using var mixer = Mixer(new NfmOptions { Alpha = 1 });
        var expected = AugMixGolden.Get("noisymix_mixed_only");
        TensorAssert.Close(tensor(expected.Doubles, expected.Shape, ScalarType.Float64), mixer.Apply(features, step), 1e-15);
    }

    [Fact]
    public void Each_view_draws_its_own_noise_scales_and_the_additive_level_grows_with_the_view()
    {
        using var scope = NewDisposeScope();
        var options = NfmPresets.NoisyMix;
        using var mixer = Mixer(options);
        for (var draw = 0; draw < 20; draw++)
        {
            var step = mixer.Sample(8);
            Assert.Equal(3, step.Views);
            Assert.Equal(8, step.Permutation.shape[0]);
            for (var view = 0; view < 3; view++)
            {
                var (additive, multiplicative) = step.ScalesOf(view);
                // level × (view + 1) × Beta(2, 5) and level × Beta(2, 5): within the levels, and not shared by the views.
                Assert.InRange(additive, 0, options.AdditiveNoise * (view + 1));
                Assert.InRange(multiplicative, 0, options.MultiplicativeNoise);
            }
            Assert.NotEqual(step.ScalesOf(0).Multiplicative, step.ScalesOf(1).Multiplicative);
        }

        // With the levels as given (no Beta draws), view v's additive scale is (v + 1) times the level, the multiplicative the level.
        using var fixedMixer = Mixer(options with { NoiseScale = NoiseScaleRule.Fixed });
        var fixedStep = fixedMixer.Sample(8);
        Assert.Equal([(0.5, 0.5), (1.0, 0.5), (1.5, 0.5)], Enumerable.Range(0, 3).Select(fixedStep.ScalesOf));
    }

    [Fact]
    public void Sparsity_drops_that_fraction_of_the_noise_in_every_view()
    {
        using var scope = NewDisposeScope();
        using var mixer = Mixer(new NfmOptions { AdditiveNoise = 1, Sparsity = 0.65, NoiseScale = NoiseScaleRule.Fixed, MixPoints = MixPointSelection.InputOnly });
        var step = mixer.Sample(64);
        var features = zeros(3 * 64, 4, 8, 8);
        var noise = mixer.Apply(features, step);
        for (var view = 0; view < 3; view++)
        {
            var values = noise.narrow(0, view * 64, 64);
            var dropped = values.eq(0).to_type(ScalarType.Float64).mean().item<double>();
            var count = values.numel();
            Assert.InRange(dropped, 0.65 - 5 * Math.Sqrt(0.65 * 0.35 / count), 0.65 + 5 * Math.Sqrt(0.65 * 0.35 / count));
            // The kept entries are N(0, (view + 1)²): the additive level grows with the view.
            var kept = values.masked_select(values.ne(0));
            Assert.InRange(kept.std().item<float>(), (view + 1) * 0.95, (view + 1) * 1.05);
        }
    }

    [Fact]
    public void Multiplicative_factors_dropped_by_sparsity_are_one()
    {
        using var scope = NewDisposeScope();
        using var mixer = Mixer(new NfmOptions { MultiplicativeNoise = 0.5, Sparsity = 0.5, NoiseScale = NoiseScaleRule.Fixed, MixPoints = MixPointSelection.InputOnly }, views: 1);
        var factors = mixer.Apply(ones(4096), mixer.Sample(4096));
        var unchanged = factors.eq(1).to_type(ScalarType.Float64).mean().item<double>();
        Assert.InRange(unchanged, 0.5 - 5 * Math.Sqrt(0.25 / 4096), 0.5 + 5 * Math.Sqrt(0.25 / 4096));
        Assert.InRange(factors.min().item<float>(), 0.5f, 1.5f);
    }

    [Fact]
    public void Features_without_the_steps_views_are_refused_by_shape()
    {
        using var scope = NewDisposeScope();
        using var mixer = Mixer(new NfmOptions { Alpha = 1 });
        var step = mixer.Sample(4);
        var error = Assert.Throws<ArgumentException>(() => mixer.Apply(randn(4, 2), step));
        Assert.Contains("3 views of 4 samples, 12 rows", error.Message);
    }
}

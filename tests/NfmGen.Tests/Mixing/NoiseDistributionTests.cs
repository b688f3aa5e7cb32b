using NfmGen.Mixing;
using static TorchSharp.torch;

namespace NfmGen.Tests.Mixing;

/// <summary>
/// The shape of the noise distributions, beyond their first two moments, on about a million float32 draws (the path
/// of the vectorised fills): normal tails and kurtosis, uniform range and flatness, every element drawn.
/// </summary>
public class NoiseDistributionTests
{
    // 999 x 3 x 17 x 19 = 967,031 values: 7 more than a multiple of 16, so a last, partial vector is drawn too.
    private static readonly long[] Shape = [999, 3, 17, 19];

    private static Tensor Perturbed(Tensor features, double additive, double multiplicative, long seed)
    {
        // A block of NaNs freed just before: the noise tensor most likely reuses it, so an element left undrawn shows.
        full(features.shape, double.NaN).Dispose();
        using var mixer = new NoisyFeatureMixer(
            new NfmOptions { Alpha = 0, AdditiveNoise = additive, MultiplicativeNoise = multiplicative, NoiseScale = NoiseScaleRule.Fixed },
            TestNetworks.PreActResNet18, seed, CPU);
        return mixer.Apply(features, mixer.Sample((int)features.shape[0]));
    }

    [Fact]
    public void Additive_noise_is_normal_in_its_tails_too()
    {
        using var scope = NewDisposeScope();
        var z = Perturbed(zeros(Shape), additive: 0.5, multiplicative: 0, seed: 21).flatten().to_type(ScalarType.Float64) / 0.5;
        double Fraction(Tensor mask) => mask.sum().item<long>() / (double)z.numel();

        Assert.InRange(z.mean().item<double>(), -0.006, 0.006);               // 5 standard errors
        Assert.InRange(z.std().item<double>(), 0.996, 1.004);
        Assert.InRange(z.pow(4).mean().item<double>(), 2.96, 3.04);          // kurtosis 3
        Assert.InRange(Fraction(z.abs().gt(1.959964)), 0.0489, 0.0511);      // 5% beyond ±1.96
        Assert.InRange(Fraction(z.abs().gt(3)), 0.0022, 0.0032);             // 0.27% beyond ±3
        Assert.InRange(Fraction(z.gt(0)), 0.4975, 0.5025);
        Assert.True(z.isfinite().all().item<bool>(), "an element was left undrawn");
    }

    [Fact]
    public void Multiplicative_noise_is_flat_over_its_interval()
    {
        using var scope = NewDisposeScope();
        var factor = Perturbed(ones(Shape), additive: 0, multiplicative: 0.2, seed: 22).flatten().to_type(ScalarType.Float64);

        Assert.True(factor.min().item<double>() >= 0.8 && factor.max().item<double>() < 1.2, "a factor outside [0.8, 1.2)");
        var counts = factor.sub(0.8).div(0.04).floor().to_type(ScalarType.Int64).bincount(null, 10).to_type(ScalarType.Float64) / factor.numel();
        Assert.All(counts.data<double>().ToArray(), share => Assert.InRange(share, 0.0985, 0.1015)); // each tenth of the interval: 10% ± 5 s.e.
        Assert.True(factor.isfinite().all().item<bool>(), "an element was left undrawn");
    }

    [Theory]
    [InlineData(0.5, 0.0, 0.0)] // normal: the cos and sin halves of each Box-Muller pair lie 8 apart
    [InlineData(0.0, 0.2, 1.0)] // uniform: the lanes of the four streams lie 1 apart
    public void Neighbouring_draws_are_uncorrelated(double additive, double multiplicative, double features)
    {
        using var scope = NewDisposeScope();
        var draws = Perturbed(full(Shape, features), additive, multiplicative, seed: 25).flatten().to_type(ScalarType.Float64);
        var centred = (draws - draws.mean()) / draws.std();

        foreach (var lag in new[] { 1, 2, 4, 8, 16 })
        {
            var n = centred.numel() - lag;
            var correlation = centred.narrow(0, 0, n).dot(centred.narrow(0, lag, n)).item<double>() / n;
            Assert.True(Math.Abs(correlation) < 0.006, $"draws {lag} apart correlate: {correlation}"); // 6 standard errors
        }
    }

    [Fact]
    public void Draws_differ_between_seeds_and_between_the_two_noises()
    {
        using var scope = NewDisposeScope();
        var first = Perturbed(zeros(Shape), additive: 0.5, multiplicative: 0, seed: 23);
        var again = Perturbed(zeros(Shape), additive: 0.5, multiplicative: 0, seed: 23);
        var other = Perturbed(zeros(Shape), additive: 0.5, multiplicative: 0, seed: 24);

        TensorAssert.Identical(first, again);
        Assert.True(first.flatten().dot(other.flatten()).item<float>() / first.numel() < 0.01, "two seeds give correlated noise");
    }
}

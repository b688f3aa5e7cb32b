namespace NfmGen.Mixing;

/// <summary>
/// The training recipes that NFM generalises (Lim et al., ICLR 2022, table 1), as <see cref="NfmOptions"/>.
/// Adjust one with a <c>with</c> expression: <c>NfmPresets.Nfm() with { NoiseScale = NoiseScaleRule.Fixed }</c>.
/// </summary>
internal static class NfmPresets
{
    /// <summary>The paper's additive noise level σ_add (its CIFAR recipe), the default of every preset with noise.</summary>
    public const double AdditiveNoise = 0.4;

    /// <summary>The paper's multiplicative noise level σ_mult (its CIFAR recipe), the default of every preset with noise.</summary>
    public const double MultiplicativeNoise = 0.2;

    /// <summary>Empirical risk minimisation: no mixing, no noise.</summary>
    public static NfmOptions Erm { get; } = new();

    /// <summary>Noise injection at the input, no mixing.</summary>
    public static NfmOptions NoiseInjection(double additive = AdditiveNoise, double multiplicative = MultiplicativeNoise) =>
        new() { AdditiveNoise = additive, MultiplicativeNoise = multiplicative, MixPoints = MixPointSelection.InputOnly };

    /// <summary>Mixup at the input (Zhang et al., 2018), no noise.</summary>
    public static NfmOptions InputMixup(double alpha = 1) =>
        new() { Alpha = alpha, MixPoints = MixPointSelection.InputOnly };

    /// <summary>Manifold mixup (Verma et al., 2019): mixing at every eligible mix point, no noise.</summary>
    public static NfmOptions ManifoldMixup(double alpha = 1) =>
        new() { Alpha = alpha };

    /// <summary>Noisy mixup: mixing and noise at the input only.</summary>
    public static NfmOptions NoisyMixup(double alpha = 1, double additive = AdditiveNoise, double multiplicative = MultiplicativeNoise) =>
        new() { Alpha = alpha, AdditiveNoise = additive, MultiplicativeNoise = multiplicative, MixPoints = MixPointSelection.InputOnly };

    /// <summary>Noisy Feature Mixup: mixing and noise at every eligible mix point; the defaults are the paper's CIFAR recipe.</summary>
    public static NfmOptions Nfm(double alpha = 1, double additive = AdditiveNoise, double multiplicative = MultiplicativeNoise) =>
        new() { Alpha = alpha, AdditiveNoise = additive, MultiplicativeNoise = multiplicative };

    /// <summary>
    /// NoisyMix's mixing (erichson/NoisyMix's README command, as its <c>cifar.py</c> and <c>src/noisy_mixup.py</c>
    /// run it): λ ~ Beta(1, 1) at any eligible mix point (in PreActResNet-18, as its <c>k</c> in <c>range(4)</c>: the
    /// input or after one of the first three stages),
    /// additive level 0.5 (times the view's number: 0.5, 1.0, 1.5), multiplicative 0.5, each scaled by Beta(2, 5) per
    /// view and batch, and 65% of the noise entries dropped.
    /// </summary>
    public static NfmOptions NoisyMix { get; } = new()
    {
        Alpha = 1,
        AdditiveNoise = 0.5,
        MultiplicativeNoise = 0.5,
        Sparsity = 0.65,
    };
}

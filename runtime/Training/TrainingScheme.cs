using static System.FormattableString;

namespace NfmGen.Training;

/// <summary>
/// A training recipe: how batches are mixed and perturbed (<see cref="Mixing"/>, or CutMix), and the loss's label smoothing.
/// The presets are the schemes the NFM paper compares (Lim et al., ICLR 2022, table 1).
/// </summary>
/// <param name="Name">The scheme's name in reports and checkpoints.</param>
/// <param name="Mixing">Mixing and noise at the mix points (ignored for CutMix).</param>
/// <param name="LabelSmoothing">Label smoothing of the cross-entropy, in [0, 1).</param>
/// <param name="CutMixAlpha">When set, CutMix with λ ~ Beta(alpha, alpha) at the input instead of <paramref name="Mixing"/>.</param>
public sealed record TrainingScheme(string Name, NfmOptions Mixing, double LabelSmoothing = 0, double? CutMixAlpha = null)
{
    /// <summary>The names <see cref="Parse"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["erm", "noise", "label-smoothing", "mixup", "cutmix", "manifold-mixup", "noisy-mixup", "nfm"];

    /// <summary>The baseline: empirical risk minimisation.</summary>
    public static TrainingScheme Erm() => new("erm", NfmPresets.Erm);

    /// <summary>Baseline + noise injection at the input.</summary>
    public static TrainingScheme NoiseInjection(double additive = 0.4, double multiplicative = 0.2) =>
        new("noise", NfmPresets.NoiseInjection(additive, multiplicative));

    /// <summary>Baseline + label smoothing.</summary>
    public static TrainingScheme LabelSmoothed(double smoothing = 0.1) => new("label-smoothing", NfmPresets.Erm, smoothing);

    /// <summary>Input mixup.</summary>
    public static TrainingScheme InputMixup(double alpha = 1) => new("mixup", NfmPresets.InputMixup(alpha));

    /// <summary>CutMix.</summary>
    public static TrainingScheme CutMix(double alpha = 1) => new("cutmix", NfmPresets.Erm, CutMixAlpha: alpha);

    /// <summary>Manifold mixup at every eligible mix point.</summary>
    public static TrainingScheme ManifoldMixup(double alpha = 1) => new("manifold-mixup", NfmPresets.ManifoldMixup(alpha));

    /// <summary>Noisy mixup: mixup and noise at the input.</summary>
    public static TrainingScheme NoisyMixup(double alpha = 1, double additive = 0.4, double multiplicative = 0.2) =>
        new("noisy-mixup", NfmPresets.NoisyMixup(alpha, additive, multiplicative));

    /// <summary>Noisy Feature Mixup; the defaults are the paper's CIFAR recipe.</summary>
    public static TrainingScheme Nfm(double alpha = 1, double additive = 0.4, double multiplicative = 0.2) =>
        new("nfm", NfmPresets.Nfm(alpha, additive, multiplicative));

    /// <summary>The preset called <paramref name="name"/> (one of <see cref="Names"/>) with its default parameters.</summary>
    /// <exception cref="ArgumentException">The name is not a scheme.</exception>
    public static TrainingScheme Parse(string name) => name.ToLowerInvariant() switch
    {
        "erm" or "baseline" => Erm(),
        "noise" => NoiseInjection(),
        "label-smoothing" => LabelSmoothed(),
        "mixup" => InputMixup(),
        "cutmix" => CutMix(),
        "manifold-mixup" => ManifoldMixup(),
        "noisy-mixup" => NoisyMixup(),
        "nfm" => Nfm(),
        _ => throw new ArgumentException($"unknown scheme '{name}' (accepted: {string.Join(", ", Names)})", nameof(name)),
    };

    /// <summary>Checks the scheme's settings, and that its mix points exist in <paramref name="network"/> when given.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate(NfmNetworkInfo? network = null)
    {
        Mixing.Validate();
        if (network is not null && CutMixAlpha is null)
            Mixing.MixPoints.Resolve(network);
        if (!double.IsFinite(LabelSmoothing) || LabelSmoothing < 0 || LabelSmoothing >= 1)
            throw new ArgumentException(Invariant($"LabelSmoothing must be in [0, 1) (was {LabelSmoothing})"), nameof(LabelSmoothing));
        if (CutMixAlpha is { } alpha && (!double.IsFinite(alpha) || alpha <= 0))
            throw new ArgumentException(Invariant($"CutMixAlpha must be > 0 (was {alpha})"), nameof(CutMixAlpha));
    }

    /// <summary>The mixer this scheme trains with.</summary>
    public IBatchMixer CreateMixer(NfmNetworkInfo network, long seed, TorchSharp.torch.Device device) =>
        CutMixAlpha is { } alpha ? new CutMixMixer(alpha, seed, device) : new NoisyFeatureMixer(Mixing, network, seed, device);
}

using NfmGen.Data.Augmentation;
using NfmGen.Mixing;
using NfmGen.Mixing.PuzzleMix;
using static System.FormattableString;

namespace NfmGen.Training;

/// <summary>
/// A training recipe: a name, how batches are mixed (<see cref="Method"/>, one of a closed set) and the loss's label
/// smoothing. The presets are the schemes the NFM paper compares (Lim et al., ICLR 2022, table 1); <see cref="Names"/>
/// lists them.
/// </summary>
/// <param name="Name">The scheme's name in reports and checkpoints.</param>
/// <param name="Method">How batches are mixed and perturbed: <see cref="NfmMethod"/>, <see cref="CutMixMethod"/> or <see cref="PuzzleMixMethod"/>.</param>
/// <param name="LabelSmoothing">Label smoothing of the cross-entropy, in [0, 1).</param>
public sealed record TrainingScheme(string Name, MixingMethod Method, double LabelSmoothing = 0)
{
    /// <summary>
    /// AugMix's views and consistency loss (<see cref="AugMixOptions"/>), or null (the default) for none: each training
    /// image then comes as three views, the method mixes each view with its own rows (the NFM family only), and the
    /// loss is the clean view's cross-entropy plus <see cref="AugMixOptions.JsdWeight"/> times the views' Jensen-Shannon divergence.
    /// </summary>
    public AugMixOptions? AugMix { get; init; }

    /// <summary>The names <see cref="Parse"/> accepts: the presets, as <c>nfm train --scheme</c> takes them.</summary>
    public static IReadOnlyList<string> Names => SchemeCatalog.Names;

    /// <summary>The baseline: empirical risk minimisation.</summary>
    public static TrainingScheme Erm() => new("erm", new NfmMethod(NfmPresets.Erm));

    /// <summary>Baseline + noise injection at the input.</summary>
    public static TrainingScheme NoiseInjection(double additive = NfmPresets.AdditiveNoise, double multiplicative = NfmPresets.MultiplicativeNoise) =>
        new("noise", new NfmMethod(NfmPresets.NoiseInjection(additive, multiplicative)));

    /// <summary>Baseline + label smoothing.</summary>
    public static TrainingScheme LabelSmoothed(double smoothing = 0.1) => new("label-smoothing", new NfmMethod(NfmPresets.Erm), smoothing);

    /// <summary>Input mixup.</summary>
    public static TrainingScheme InputMixup(double alpha = 1) => new("mixup", new NfmMethod(NfmPresets.InputMixup(alpha)));

    /// <summary>CutMix.</summary>
    public static TrainingScheme CutMix(double alpha = CutMixMethod.DefaultAlpha) => new("cutmix", new CutMixMethod(alpha));

    /// <summary>
    /// Puzzle Mix with the official CIFAR settings, λ ~ Beta(<paramref name="alpha"/>, <paramref name="alpha"/>); with
    /// <paramref name="adversarialProbability"/> &gt; 0, its adversarial step of <paramref name="adversarialEpsilon"/>/255
    /// (default the reference's) on that fraction of batches (the reference's adversarial Puzzle Mix: 0.1).
    /// </summary>
    public static TrainingScheme PuzzleMix(double alpha = 1, double adversarialProbability = 0, double? adversarialEpsilon = null)
    {
        var options = new PuzzleMixOptions(Alpha: alpha, AdversarialProbability: adversarialProbability);
        return new("puzzlemix", new PuzzleMixMethod(adversarialEpsilon is { } epsilon ? options with { AdversarialEpsilon = epsilon } : options));
    }

    /// <summary>Manifold mixup at every eligible mix point.</summary>
    public static TrainingScheme ManifoldMixup(double alpha = 1) => new("manifold-mixup", new NfmMethod(NfmPresets.ManifoldMixup(alpha)));

    /// <summary>Noisy mixup: mixup and noise at the input.</summary>
    public static TrainingScheme NoisyMixup(double alpha = 1, double additive = NfmPresets.AdditiveNoise, double multiplicative = NfmPresets.MultiplicativeNoise) =>
        new("noisy-mixup", new NfmMethod(NfmPresets.NoisyMixup(alpha, additive, multiplicative)));

    /// <summary>AugMix with its Jensen-Shannon consistency loss (Hendrycks et al., ICLR 2020), the reference's defaults; no mixing across samples.</summary>
    public static TrainingScheme AugMixed(AugMixOptions? options = null) =>
        new("augmix", new NfmMethod(NfmPresets.Erm)) { AugMix = options ?? new AugMixOptions() };

    /// <summary>
    /// NoisyMix (Erichson et al., 2022; erichson/NoisyMix): AugMix's views and loss, with noisy feature mixup of each
    /// view at a random mix point (<see cref="NfmPresets.NoisyMix"/>).
    /// </summary>
    public static TrainingScheme NoisyMix(AugMixOptions? options = null) =>
        new("noisymix", new NfmMethod(NfmPresets.NoisyMix)) { AugMix = options ?? new AugMixOptions() };

    /// <summary>Noisy Feature Mixup; the defaults are the paper's CIFAR recipe.</summary>
    public static TrainingScheme Nfm(double alpha = 1, double additive = NfmPresets.AdditiveNoise, double multiplicative = NfmPresets.MultiplicativeNoise) =>
        new("nfm", new NfmMethod(NfmPresets.Nfm(alpha, additive, multiplicative)));

    /// <summary>The preset called <paramref name="name"/> (one of <see cref="Names"/>, or <c>baseline</c> for erm) with its default parameters.</summary>
    /// <exception cref="ArgumentException">The name is not a scheme; the message lists the names.</exception>
    public static TrainingScheme Parse(string name) => SchemeCatalog.Find(name).Scheme;

    /// <summary>Checks the scheme's settings, and that its method fits <paramref name="network"/> when given.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate(NfmNetworkInfo? network = null)
    {
        if (Method is null)
            throw new ArgumentException($"the scheme '{Name}' has no mixing method: give an {nameof(NfmMethod)}, a {nameof(CutMixMethod)} or a {nameof(PuzzleMixMethod)}", nameof(Method));
        Method.Validate(network);
        if (!double.IsFinite(LabelSmoothing) || LabelSmoothing < 0 || LabelSmoothing >= 1)
            throw new ArgumentException(Invariant($"LabelSmoothing must be in [0, 1) (was {LabelSmoothing})"), nameof(LabelSmoothing));
        if (AugMix is null)
            return;
        AugMix.Validate();
        if (Method is not NfmMethod)
            throw new ArgumentException(
                $"the scheme '{Name}' has AugMix's views, which only the NFM family mixes (each view with its own rows); {Method.GetType().Name} mixes one view: drop AugMix or use an {nameof(NfmMethod)}",
                nameof(AugMix));
    }

    /// <summary>How many views of each sample a training batch holds: AugMix's 3, or 1.</summary>
    internal int Views => AugMix is null ? 1 : AugMixViews.Count;

    /// <summary>The mixer this scheme trains with (<see cref="MixingMethod.CreateMixer"/>), for this scheme's views.</summary>
    internal IBatchMixer CreateMixer(MixerContext context)
    {
        Validate();
        return Method.CreateMixer(context with { Views = Views });
    }
}

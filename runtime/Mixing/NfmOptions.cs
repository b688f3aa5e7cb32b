using System.Text.Json.Serialization;
using static System.FormattableString;

namespace NfmGen.Mixing;

/// <summary>
/// The settings of Noisy Feature Mixup (Lim et al., ICLR 2022). The defaults do nothing (plain ERM);
/// <see cref="Training.TrainingScheme"/>'s presets are the usual recipes.
/// </summary>
public sealed record NfmOptions
{
    /// <summary>
    /// The first concentration of the Beta distribution that mixing weights λ are drawn from; 0 turns mixing off (λ = 1).
    /// Must be finite and &gt;= 0.
    /// </summary>
    public double Alpha { get; init; }

    /// <summary>
    /// The second concentration of λ's Beta distribution; null (the default) uses <see cref="Alpha"/>, the reference's
    /// symmetric Beta(α, α). Must be finite and &gt; 0 when set; ignored when <see cref="Alpha"/> is 0.
    /// </summary>
    public double? Beta { get; init; }

    /// <summary>The additive noise level σ_add (Gaussian noise). Must be finite and &gt;= 0; 0 turns it off.</summary>
    public double AdditiveNoise { get; init; }

    /// <summary>The multiplicative noise level σ_mult (factor 1 + σ_mult·U(-1, 1)). Must be finite and &gt;= 0; 0 turns it off.</summary>
    public double MultiplicativeNoise { get; init; }

    /// <summary>
    /// The fraction of noise entries dropped, in [0, 1): each additive noise value is zeroed, and each multiplicative
    /// factor set to 1, with this probability (NoisyMix's <c>sparse_level</c>; its recipe: 0.65). 0, the default, keeps them all.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] // run.json of the schemes without it stays as it was
    public double Sparsity { get; init; }

    /// <summary>The mix points to choose from, uniformly, at every step. <see cref="MixPointSelection.All"/> by default.</summary>
    public MixPointSelection MixPoints { get; init; } = MixPointSelection.All;

    /// <summary>How the noise levels become a step's noise scales. <see cref="NoiseScaleRule.Reference"/> by default.</summary>
    public NoiseScaleRule NoiseScale { get; init; } = NoiseScaleRule.Reference;

    /// <summary>Throws unless every option is in its accepted range. Mix points are checked against a network by <see cref="MixPointSelection.Resolve"/>.</summary>
    /// <exception cref="ArgumentException">An option is out of range; the message names it, its value and the accepted range.</exception>
    public void Validate()
    {
        RequireFiniteAtLeastZero(Alpha, nameof(Alpha));
        if (Beta is { } beta && !(double.IsFinite(beta) && beta > 0))
            throw new ArgumentException(Invariant($"{nameof(Beta)} must be a finite number > 0, or null for Beta = Alpha (was {beta})"), nameof(Beta));
        RequireFiniteAtLeastZero(AdditiveNoise, nameof(AdditiveNoise));
        RequireFiniteAtLeastZero(MultiplicativeNoise, nameof(MultiplicativeNoise));
        if (!(double.IsFinite(Sparsity) && Sparsity is >= 0 and < 1))
            throw new ArgumentException(Invariant($"{nameof(Sparsity)} must be in [0, 1) (was {Sparsity})"), nameof(Sparsity));
        if (Sparsity > 0 && AdditiveNoise == 0 && MultiplicativeNoise == 0)
            throw new ArgumentException(
                Invariant($"{nameof(Sparsity)} {Sparsity} drops noise entries, but there is no noise ({nameof(AdditiveNoise)} and {nameof(MultiplicativeNoise)} are 0): set a noise level or leave Sparsity at 0"),
                nameof(Sparsity));
        if (MixPoints is null)
            throw new ArgumentException($"{nameof(MixPoints)} must be set, e.g. to MixPointSelection.All (was null)", nameof(MixPoints));
        if (!Enum.IsDefined(NoiseScale))
            throw new ArgumentException(Invariant($"{nameof(NoiseScale)} must be {nameof(NoiseScaleRule.Reference)} or {nameof(NoiseScaleRule.Fixed)} (was {(int)NoiseScale})"), nameof(NoiseScale));
    }

    private static void RequireFiniteAtLeastZero(double value, string name)
    {
        // Written so that NaN fails too.
        if (!(double.IsFinite(value) && value >= 0))
            throw new ArgumentException(Invariant($"{name} must be a finite number >= 0 (was {value})"), name);
    }
}

using System.Text.Json.Serialization;
using static System.FormattableString;

namespace NfmGen.Data.Augmentation;

/// <summary>
/// AugMix (Hendrycks et al., ICLR 2020; google-research/augmix): each training image comes as three views, itself and
/// two augmented mixtures of it, and the loss adds the Jensen-Shannon divergence between the network's predictions on
/// the three (weighted by <see cref="JsdWeight"/>) to the cross-entropy of the clean view. The defaults are the
/// reference's (<c>cifar.py</c>): width 3, depth 1 to 3 at random, severity 3, the default nine operations, JSD weight 12.
/// </summary>
public sealed record AugMixOptions
{
    /// <summary>The largest severity: the reference's levels run from 0.1 to 10.</summary>
    public const int MaxSeverity = 10;

    /// <summary>The most chains per mixture, and operations per chain, accepted (the reference's defaults are 3).</summary>
    public const int MaxChains = 16;

    /// <summary>How strong each operation is, 1..10: its level is drawn uniformly from [0.1, severity) (the reference's <c>--aug-severity</c>).</summary>
    public int Severity { get; init; } = 3;

    /// <summary>How many augmentation chains each mixture mixes, with Dirichlet(1, …, 1) weights (the reference's <c>--mixture-width</c>).</summary>
    public int Width { get; init; } = 3;

    /// <summary>How many operations each chain applies; null draws 1 to 3 per chain (the reference's <c>--mixture-depth -1</c>).</summary>
    public int? Depth { get; init; }

    /// <summary>Draw from all thirteen operations, not the default nine (the reference's <c>--all-ops</c>; four of them overlap with ImageNet-C's corruptions).</summary>
    public bool AllOperations { get; init; }

    /// <summary>The weight of the Jensen-Shannon consistency term in the loss (the reference's 12); 0 trains on the clean view's cross-entropy alone.</summary>
    public double JsdWeight { get; init; } = 12;

    /// <summary>The operations that chains draw from, uniformly (what <see cref="AllOperations"/> says; not written to run.json).</summary>
    [JsonIgnore]
    public IReadOnlyList<AugMixOperation> Operations => AllOperations ? AugMixOperations.All : AugMixOperations.Default;

    /// <summary>Throws unless every setting is in range.</summary>
    /// <exception cref="ArgumentException">A setting is out of range; the message names it, its value and the accepted range.</exception>
    public void Validate()
    {
        if (Severity is < 1 or > MaxSeverity)
            throw new ArgumentException(Invariant($"AugMix's {nameof(Severity)} must be in 1..{MaxSeverity} (was {Severity})"), nameof(Severity));
        if (Width is < 1 or > MaxChains)
            throw new ArgumentException(Invariant($"AugMix's {nameof(Width)} (chains per mixture) must be in 1..{MaxChains} (was {Width})"), nameof(Width));
        if (Depth is < 1 or > MaxChains)
            throw new ArgumentException(Invariant($"AugMix's {nameof(Depth)} (operations per chain) must be in 1..{MaxChains}, or null for 1 to 3 at random (was {Depth})"), nameof(Depth));
        if (!(double.IsFinite(JsdWeight) && JsdWeight >= 0))
            throw new ArgumentException(Invariant($"AugMix's {nameof(JsdWeight)} must be a finite number >= 0 (was {JsdWeight})"), nameof(JsdWeight));
    }
}

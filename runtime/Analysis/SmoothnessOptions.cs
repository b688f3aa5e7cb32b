using NfmGen.Mixing;
using static System.FormattableString;

namespace NfmGen.Analysis;

/// <summary>How <see cref="SmoothnessAnalysis"/> measures: where, on how many points, with how many probes, from which seed.</summary>
public sealed record SmoothnessOptions
{
    /// <summary>The mix points to measure at; every eligible one by default.</summary>
    public MixPointSelection MixPoints { get; init; } = MixPointSelection.All;

    /// <summary>How many test points (the first ones of the data), at least 4: half fit the temperature, half measure with it.</summary>
    public int Samples { get; init; } = 1000;

    /// <summary>Random probes per point: projections of J_k (for many classes) and Hutchinson's probes, at least 1.</summary>
    public int Probes { get; init; } = 8;

    /// <summary>Up to this many classes, J_k is computed exactly, one backward per class; above, by <see cref="Probes"/> projections.</summary>
    public int ExactClassLimit { get; init; } = 16;

    /// <summary>The finite-difference step of <see cref="SmoothnessMeasure.JacobianChange"/>, relative to ‖h_k‖ of each point; in (0, 1].</summary>
    public double FiniteDifferenceStep { get; init; } = 1e-2;

    /// <summary>Bootstrap resamples of the points for each 95% interval, at least 100.</summary>
    public int BootstrapResamples { get; init; } = 1000;

    /// <summary>Points per forward and backward pass.</summary>
    public int BatchSize { get; init; } = 100;

    /// <summary>The seed of the probes, the finite-difference steps, the temperature's split and the bootstrap.</summary>
    public long Seed { get; init; }

    /// <summary>Throws unless every setting is in range.</summary>
    /// <exception cref="ArgumentException">A setting is out of range; the message names it, its value and the accepted range.</exception>
    public void Validate()
    {
        Require(Samples >= 4, nameof(Samples), Samples, ">= 4");
        Require(Probes >= 1, nameof(Probes), Probes, ">= 1");
        Require(ExactClassLimit >= 0, nameof(ExactClassLimit), ExactClassLimit, ">= 0");
        Require(double.IsFinite(FiniteDifferenceStep) && FiniteDifferenceStep is > 0 and <= 1, nameof(FiniteDifferenceStep), FiniteDifferenceStep, "in (0, 1]");
        Require(BootstrapResamples >= 100, nameof(BootstrapResamples), BootstrapResamples, ">= 100");
        Require(BatchSize >= 1, nameof(BatchSize), BatchSize, ">= 1");
        if (MixPoints is null)
            throw new ArgumentException($"{nameof(MixPoints)} must be set, e.g. to MixPointSelection.All (was null)", nameof(MixPoints));
    }

    private static void Require(bool valid, string name, double value, string accepted)
    {
        if (!valid)
            throw new ArgumentException(Invariant($"{name} must be {accepted} (was {value})"), name);
    }
}

using System.Text.Json.Serialization;
using static System.FormattableString;

namespace NfmGen.Training;

/// <summary>
/// The learning rate as a function of training progress. Stateless, so that a resumed run continues exactly.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(StepDecaySchedule), "step")]
[JsonDerivedType(typeof(CosineSchedule), "cosine")]
[JsonDerivedType(typeof(ConstantSchedule), "constant")]
public abstract record LearningRateSchedule
{
    /// <summary>Epochs of linear warm-up from 0 to the base rate before the schedule proper (0: none).</summary>
    public double WarmupEpochs { get; init; }

    /// <summary>The reference recipe, x0.1 at epochs 100, 150 and 180 of 200: at half, three quarters and 90% of any run.</summary>
    public static LearningRateSchedule Reference { get; } = new StepDecaySchedule([0.5, 0.75, 0.9], 0.1) { FractionsOfRun = true };

    /// <summary>Multiplies the rate by <paramref name="gamma"/>, in (0, 1], at each of the epochs <paramref name="milestones"/>.</summary>
    public static LearningRateSchedule Step(IReadOnlyList<double> milestones, double gamma = 0.1) => new StepDecaySchedule(milestones, gamma);

    /// <summary>Cosine decay from the base rate to 0 over the run (after warm-up).</summary>
    public static LearningRateSchedule Cosine() => new CosineSchedule();

    /// <summary>The base rate throughout (after warm-up).</summary>
    public static LearningRateSchedule Constant() => new ConstantSchedule();

    /// <summary>The rate at <paramref name="epoch"/> (fractional: 2.5 is halfway through the third epoch) of <paramref name="totalEpochs"/>.</summary>
    public double At(double baseRate, double epoch, int totalEpochs)
    {
        if (epoch < WarmupEpochs)
            return baseRate * epoch / WarmupEpochs;
        return baseRate * Factor(epoch, totalEpochs);
    }

    /// <summary>The multiple of the base rate after warm-up.</summary>
    private protected abstract double Factor(double epoch, int totalEpochs);

    /// <summary>Checks the schedule's settings.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    internal virtual void Validate()
    {
        if (!double.IsFinite(WarmupEpochs) || WarmupEpochs < 0)
            throw new ArgumentException(Invariant($"WarmupEpochs must be >= 0 (was {WarmupEpochs})"), nameof(WarmupEpochs));
    }
}

/// <summary>Multiplies the rate by <see cref="Gamma"/> at each milestone.</summary>
/// <param name="Milestones">The epochs of the decays, or fractions of the run when <see cref="FractionsOfRun"/> is set.</param>
/// <param name="Gamma">The factor of each decay, in (0, 1].</param>
internal sealed record StepDecaySchedule(IReadOnlyList<double> Milestones, double Gamma) : LearningRateSchedule
{
    /// <summary>Whether <see cref="Milestones"/> are fractions of the run's epochs (0.5 is halfway) rather than epochs.</summary>
    public bool FractionsOfRun { get; init; }

    /// <inheritdoc />
    private protected override double Factor(double epoch, int totalEpochs) =>
        Math.Pow(Gamma, Milestones.Count(milestone => epoch >= (FractionsOfRun ? milestone * totalEpochs : milestone)));

    /// <inheritdoc />
    internal override void Validate()
    {
        base.Validate();
        if (!double.IsFinite(Gamma) || Gamma <= 0 || Gamma > 1)
            throw new ArgumentException(Invariant($"Gamma must be in (0, 1] (was {Gamma})"), nameof(Gamma));
        var accepted = FractionsOfRun ? "fractions of the run in (0, 1)" : "epochs > 0";
        if (Milestones.Any(milestone => !double.IsFinite(milestone) || milestone <= 0 || (FractionsOfRun && milestone >= 1)))
            throw new ArgumentException($"Milestones must be {accepted} (was {Describe()})", nameof(Milestones));
    }

    /// <summary>Checks that every milestone falls inside a run of <paramref name="epochs"/> epochs.</summary>
    /// <exception cref="ArgumentException">A milestone would never lower the rate.</exception>
    public void ValidateFor(int epochs)
    {
        if (!FractionsOfRun && Milestones.Any(milestone => milestone >= epochs))
            throw new ArgumentException(
                $"Milestones {Describe()} must fall inside the run's {epochs} epochs, or they never lower the learning rate (set other milestones, or use the default schedule, which scales with the run)",
                nameof(Milestones));
    }

    /// <inheritdoc />
    public bool Equals(StepDecaySchedule? other) =>
        other is not null && WarmupEpochs == other.WarmupEpochs && Gamma == other.Gamma && FractionsOfRun == other.FractionsOfRun
        && Milestones.SequenceEqual(other.Milestones);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(WarmupEpochs, Gamma, FractionsOfRun, Milestones.Count);

    private string Describe() => string.Join(", ", Milestones.Select(milestone => milestone.ToString(System.Globalization.CultureInfo.InvariantCulture)));
}

/// <summary>Cosine decay from the base rate to 0 over the run (after warm-up).</summary>
internal sealed record CosineSchedule : LearningRateSchedule
{
    /// <inheritdoc />
    private protected override double Factor(double epoch, int totalEpochs)
    {
        var span = Math.Max(totalEpochs - WarmupEpochs, 1e-9);
        return 0.5 * (1 + Math.Cos(Math.PI * Math.Clamp((epoch - WarmupEpochs) / span, 0, 1)));
    }
}

/// <summary>The base rate throughout (after warm-up).</summary>
internal sealed record ConstantSchedule : LearningRateSchedule
{
    /// <inheritdoc />
    private protected override double Factor(double epoch, int totalEpochs) => 1;
}

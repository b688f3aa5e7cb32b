using System.Globalization;
using System.Text.Json.Serialization;
using static System.FormattableString;

namespace NfmGen.Reports;

/// <summary>
/// The accuracy of one model on test inputs under one perturbation at one level: one cell of a report.
/// The factory methods (<see cref="WhiteNoise"/>, <see cref="Fgsm"/>, <see cref="CifarCorruption"/> ...) pick the usual
/// display labels; the constructor takes any.
/// </summary>
public sealed record PerturbationResult
{
    /// <summary>Creates a result; throws unless every value is in range.</summary>
    /// <param name="kind">The perturbation.</param>
    /// <param name="level">σ, γ or ε (finite, &gt;= 0); for CIFAR-10-C the severity 1-5 (0 too for the mean over all severities).</param>
    /// <param name="label">How the level is shown in column headers and on plot axes, e.g. "0.1", "8/255", "fog s3".</param>
    /// <param name="accuracy">The fraction of test inputs classified correctly, in [0, 1].</param>
    /// <param name="corruption">The CIFAR-10-C corruption name (see <see cref="CifarCorruptions"/>): required for
    /// <see cref="PerturbationKind.CifarCorruption"/>, null for every other kind.</param>
    /// <exception cref="ArgumentException">A value is out of range; the message names it and what is accepted.</exception>
    [JsonConstructor]
    public PerturbationResult(PerturbationKind kind, double level, string label, double accuracy, string? corruption = null)
    {
        if (!Enum.IsDefined(kind))
            throw new ArgumentException(Invariant($"kind must be a {nameof(PerturbationKind)} value (was {(int)kind})"), nameof(kind));
        RequireLevel(kind, level);
        if (string.IsNullOrWhiteSpace(label))
            throw new ArgumentException(Invariant($"label must be non-empty, e.g. \"0.1\" (was \"{label}\")"), nameof(label));
        RequireAccuracy(accuracy, nameof(accuracy));
        if (kind == PerturbationKind.CifarCorruption && string.IsNullOrWhiteSpace(corruption))
            throw new ArgumentException(Invariant($"corruption must name the CIFAR-10-C corruption, e.g. \"fog\", for kind {kind} (was \"{corruption}\")"), nameof(corruption));
        if (kind != PerturbationKind.CifarCorruption && corruption is not null)
            throw new ArgumentException(Invariant($"corruption must be null for kind {kind} (was \"{corruption}\")"), nameof(corruption));

        Kind = kind;
        Level = level;
        Label = label;
        Accuracy = accuracy;
        Corruption = corruption;
    }

    /// <summary>The perturbation.</summary>
    public PerturbationKind Kind { get; }

    /// <summary>σ, γ or ε; for CIFAR-10-C the severity (0 for the mean over all severities).</summary>
    public double Level { get; }

    /// <summary>How the level is shown, e.g. "0.1", "8/255", "fog s3".</summary>
    public string Label { get; }

    /// <summary>The fraction of test inputs classified correctly, in [0, 1].</summary>
    public double Accuracy { get; }

    /// <summary>The CIFAR-10-C corruption for <see cref="PerturbationKind.CifarCorruption"/>; null otherwise.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Corruption { get; }

    /// <summary>Accuracy under white noise of standard deviation <paramref name="sigma"/>, labelled like "0.1".</summary>
    public static PerturbationResult WhiteNoise(double sigma, double accuracy) =>
        new(PerturbationKind.WhiteNoise, sigma, sigma.ToString(CultureInfo.InvariantCulture), accuracy);

    /// <summary>Accuracy under salt-and-pepper noise on a fraction <paramref name="gamma"/> of the pixels, labelled like "0.02".</summary>
    public static PerturbationResult SaltAndPepper(double gamma, double accuracy) =>
        new(PerturbationKind.SaltAndPepper, gamma, gamma.ToString(CultureInfo.InvariantCulture), accuracy);

    /// <summary>Accuracy under FGSM with budget <paramref name="epsilon"/>, labelled like "8/255" (or "0.03" off the 1/255 grid).</summary>
    public static PerturbationResult Fgsm(double epsilon, double accuracy) =>
        new(PerturbationKind.Fgsm, epsilon, EpsilonLabel(epsilon), accuracy);

    /// <summary>Accuracy under PGD with budget <paramref name="epsilon"/>, labelled like "8/255" (or "0.03" off the 1/255 grid).</summary>
    public static PerturbationResult Pgd(double epsilon, double accuracy) =>
        new(PerturbationKind.Pgd, epsilon, EpsilonLabel(epsilon), accuracy);

    /// <summary>Accuracy on the CIFAR-10-C <paramref name="corruption"/> at <paramref name="severity"/> 1-5, labelled like "fog s3".</summary>
    public static PerturbationResult CifarCorruption(string corruption, int severity, double accuracy) =>
        new(PerturbationKind.CifarCorruption, severity, Invariant($"{corruption} s{severity}"), accuracy, corruption);

    /// <summary>
    /// Mean accuracy over the CIFAR-10-C corruptions at <paramref name="severity"/> 1-5 (labelled "mean s3"), or over all
    /// severities for severity 0 (labelled "mean").
    /// </summary>
    public static PerturbationResult CifarCorruptionMean(int severity, double accuracy) =>
        new(PerturbationKind.CifarCorruptionMean, severity, severity == 0 ? "mean" : Invariant($"mean s{severity}"), accuracy);

    internal static void RequireAccuracy(double accuracy, string name)
    {
        // Written so that NaN fails too.
        if (!(accuracy >= 0 && accuracy <= 1))
            throw new ArgumentException(Invariant($"{name} must be a fraction in [0, 1], e.g. 0.954 for 95.4% (was {accuracy})"), name);
    }

    private static void RequireLevel(PerturbationKind kind, double level)
    {
        switch (kind)
        {
            case PerturbationKind.CifarCorruption when !(level is 1 or 2 or 3 or 4 or 5):
                throw new ArgumentException(Invariant($"level must be a CIFAR-10-C severity 1, 2, 3, 4 or 5 for kind {kind} (was {level})"), nameof(level));
            case PerturbationKind.CifarCorruptionMean when !(level is 0 or 1 or 2 or 3 or 4 or 5):
                throw new ArgumentException(Invariant($"level must be a CIFAR-10-C severity 1-5, or 0 for all severities, for kind {kind} (was {level})"), nameof(level));
            case not (PerturbationKind.CifarCorruption or PerturbationKind.CifarCorruptionMean) when !(double.IsFinite(level) && level >= 0):
                throw new ArgumentException(Invariant($"level must be a finite number >= 0 for kind {kind} (was {level})"), nameof(level));
        }
    }

    private static string EpsilonLabel(double epsilon)
    {
        // Budgets are usually whole steps of one grey level (8/255); show them so, as papers do.
        double steps = epsilon * 255;
        double whole = Math.Round(steps);
        return whole > 0 && Math.Abs(steps - whole) < 1e-9
            ? Invariant($"{whole}/255")
            : epsilon.ToString(CultureInfo.InvariantCulture);
    }
}

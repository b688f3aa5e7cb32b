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
    /// <param name="level">σ, γ or ε (finite, &gt;= 0); for CIFAR-10-C and ImageNet-C the severity 1-5 (0 too for the mean over all severities).</param>
    /// <param name="label">How the level is shown in column headers and on plot axes, e.g. "0.1", "8/255", "fog s3".</param>
    /// <param name="accuracy">The fraction of test inputs classified correctly, in [0, 1].</param>
    /// <param name="corruption">The corruption name (see <see cref="CifarCorruptions"/>, <see cref="ImageNetCorruptions"/>): required for
    /// <see cref="PerturbationKind.CifarCorruption"/> and <see cref="PerturbationKind.ImageNetCorruption"/>, null for every other kind.</param>
    /// <param name="version">The AutoAttack version (<c>fast</c>, <c>standard</c>): required for the AutoAttack kinds, null for every other.</param>
    /// <param name="stages">The accuracy after each attack of an AutoAttack cascade, in order: required for the AutoAttack kinds, null for every other.</param>
    /// <exception cref="ArgumentException">A value is out of range; the message names it and what is accepted.</exception>
    [JsonConstructor]
    public PerturbationResult(PerturbationKind kind, double level, string label, double accuracy, string? corruption = null, string? version = null,
        IReadOnlyList<AttackStage>? stages = null)
    {
        if (!Enum.IsDefined(kind))
            throw new ArgumentException(Invariant($"kind must be a {nameof(PerturbationKind)} value (was {(int)kind})"), nameof(kind));
        RequireLevel(kind, level);
        if (string.IsNullOrWhiteSpace(label))
            throw new ArgumentException(Invariant($"label must be non-empty, e.g. \"0.1\" (was \"{label}\")"), nameof(label));
        RequireAccuracy(accuracy, nameof(accuracy));
        if (IsCorruption(kind) && string.IsNullOrWhiteSpace(corruption))
            throw new ArgumentException(Invariant($"corruption must name the {Benchmark(kind)} corruption, e.g. \"fog\", for kind {kind} (was \"{corruption}\")"), nameof(corruption));
        if (!IsCorruption(kind) && corruption is not null)
            throw new ArgumentException(Invariant($"corruption must be null for kind {kind} (was \"{corruption}\")"), nameof(corruption));
        if (IsAutoAttack(kind) != (version is not null) || IsAutoAttack(kind) != (stages is not null))
            throw new ArgumentException(Invariant($"version and stages must be given for kind {kind} if and only if it is an AutoAttack kind (were \"{version}\" and {stages?.Count.ToString(CultureInfo.InvariantCulture) ?? "null"} stages)"), nameof(version));
        foreach (var stage in stages ?? [])
            RequireAccuracy(stage.Accuracy, $"the accuracy after {stage.Attack}");

        Kind = kind;
        Level = level;
        Label = label;
        Accuracy = accuracy;
        Corruption = corruption;
        Version = version;
        Stages = stages?.ToArray();
    }

    /// <summary>The perturbation.</summary>
    public PerturbationKind Kind { get; }

    /// <summary>σ, γ or ε; for CIFAR-10-C and ImageNet-C the severity (0 for the mean over all severities).</summary>
    public double Level { get; }

    /// <summary>How the level is shown, e.g. "0.1", "8/255", "fog s3".</summary>
    public string Label { get; }

    /// <summary>The fraction of test inputs classified correctly, in [0, 1].</summary>
    public double Accuracy { get; }

    /// <summary>The corruption for <see cref="PerturbationKind.CifarCorruption"/> and <see cref="PerturbationKind.ImageNetCorruption"/>; null otherwise.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Corruption { get; }

    /// <summary>For the AutoAttack kinds, its version (<c>fast</c> or <c>standard</c>); null otherwise.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Version { get; }

    /// <summary>For the AutoAttack kinds, the accuracy after each of its attacks, in order (the last is <see cref="Accuracy"/>); null otherwise.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<AttackStage>? Stages { get; }

    /// <summary>Accuracy under white noise of standard deviation <paramref name="sigma"/>, labelled like "0.1".</summary>
    public static PerturbationResult WhiteNoise(double sigma, double accuracy) =>
        new(PerturbationKind.WhiteNoise, sigma, sigma.ToString(CultureInfo.InvariantCulture), accuracy);

    /// <summary>Accuracy under salt-and-pepper noise on a fraction <paramref name="gamma"/> of the pixels, labelled like "0.02".</summary>
    public static PerturbationResult SaltAndPepper(double gamma, double accuracy) =>
        new(PerturbationKind.SaltAndPepper, gamma, gamma.ToString(CultureInfo.InvariantCulture), accuracy);

    /// <summary>Accuracy of table rows with a fraction <paramref name="fraction"/> of their input columns dropped and filled as in training, labelled like "0.1".</summary>
    public static PerturbationResult FeatureDrop(double fraction, double accuracy) =>
        new(PerturbationKind.FeatureDrop, fraction, fraction.ToString(CultureInfo.InvariantCulture), accuracy);

    /// <summary>Accuracy under FGSM with budget <paramref name="epsilon"/>, labelled like "8/255" (or "0.03" off the 1/255 grid).</summary>
    public static PerturbationResult Fgsm(double epsilon, double accuracy) =>
        new(PerturbationKind.Fgsm, epsilon, EpsilonLabel(epsilon), accuracy);

    /// <summary>Accuracy under PGD with budget <paramref name="epsilon"/>, labelled like "8/255" (or "0.03" off the 1/255 grid).</summary>
    public static PerturbationResult Pgd(double epsilon, double accuracy) =>
        new(PerturbationKind.Pgd, epsilon, EpsilonLabel(epsilon), accuracy);

    /// <summary>
    /// Accuracy under AutoAttack's <paramref name="version"/> with the L∞ budget <paramref name="epsilon"/>, labelled like
    /// "8/255", and after each of its attacks.
    /// </summary>
    public static PerturbationResult AutoAttack(double epsilon, string version, IReadOnlyList<AttackStage> stages, double accuracy) =>
        new(PerturbationKind.AutoAttack, epsilon, EpsilonLabel(epsilon), accuracy, version: version, stages: stages);

    /// <summary>Accuracy under AutoAttack's <paramref name="version"/> with the L2 budget <paramref name="epsilon"/>, labelled like "0.5".</summary>
    public static PerturbationResult AutoAttackL2(double epsilon, string version, IReadOnlyList<AttackStage> stages, double accuracy) =>
        new(PerturbationKind.AutoAttackL2, epsilon, epsilon.ToString(CultureInfo.InvariantCulture), accuracy, version: version, stages: stages);

    /// <summary>Accuracy on the CIFAR-10-C <paramref name="corruption"/> at <paramref name="severity"/> 1-5, labelled like "fog s3".</summary>
    public static PerturbationResult CifarCorruption(string corruption, int severity, double accuracy) =>
        new(PerturbationKind.CifarCorruption, severity, Invariant($"{corruption} s{severity}"), accuracy, corruption);

    /// <summary>
    /// Mean accuracy over the CIFAR-10-C corruptions at <paramref name="severity"/> 1-5 (labelled "mean s3"), or over all
    /// severities for severity 0 (labelled "mean").
    /// </summary>
    public static PerturbationResult CifarCorruptionMean(int severity, double accuracy) =>
        new(PerturbationKind.CifarCorruptionMean, severity, severity == 0 ? "mean" : Invariant($"mean s{severity}"), accuracy);

    /// <summary>Accuracy on the ImageNet-C <paramref name="corruption"/> at <paramref name="severity"/> 1-5, labelled like "fog s3".</summary>
    public static PerturbationResult ImageNetCorruption(string corruption, int severity, double accuracy) =>
        new(PerturbationKind.ImageNetCorruption, severity, Invariant($"{corruption} s{severity}"), accuracy, corruption);

    /// <summary>
    /// Mean accuracy over the ImageNet-C corruptions evaluated at <paramref name="severity"/> 1-5 (labelled "mean s3"),
    /// or over all of them for severity 0 (labelled "mean").
    /// </summary>
    public static PerturbationResult ImageNetCorruptionMean(int severity, double accuracy) =>
        new(PerturbationKind.ImageNetCorruptionMean, severity, severity == 0 ? "mean" : Invariant($"mean s{severity}"), accuracy);

    /// <summary>Whether <paramref name="kind"/> is AutoAttack's, whose results name a version and the accuracy after each attack.</summary>
    internal static bool IsAutoAttack(PerturbationKind kind) => kind is PerturbationKind.AutoAttack or PerturbationKind.AutoAttackL2;

    /// <summary>Whether results of <paramref name="kind"/> name a corruption.</summary>
    internal static bool IsCorruption(PerturbationKind kind) => kind is PerturbationKind.CifarCorruption or PerturbationKind.ImageNetCorruption;

    /// <summary>Whether the level of <paramref name="kind"/> is a corruption severity (1-5, or 0 for a mean over all).</summary>
    internal static bool IsSeverity(PerturbationKind kind) =>
        kind is PerturbationKind.CifarCorruption or PerturbationKind.CifarCorruptionMean or PerturbationKind.ImageNetCorruption or PerturbationKind.ImageNetCorruptionMean;

    private static string Benchmark(PerturbationKind kind) =>
        kind is PerturbationKind.ImageNetCorruption or PerturbationKind.ImageNetCorruptionMean ? "ImageNet-C" : "CIFAR-10-C";

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
            case PerturbationKind.CifarCorruption or PerturbationKind.ImageNetCorruption when !(level is 1 or 2 or 3 or 4 or 5):
                throw new ArgumentException(Invariant($"level must be a {Benchmark(kind)} severity 1, 2, 3, 4 or 5 for kind {kind} (was {level})"), nameof(level));
            case PerturbationKind.CifarCorruptionMean or PerturbationKind.ImageNetCorruptionMean when !(level is 0 or 1 or 2 or 3 or 4 or 5):
                throw new ArgumentException(Invariant($"level must be a {Benchmark(kind)} severity 1-5, or 0 for all severities, for kind {kind} (was {level})"), nameof(level));
            case var other when !IsSeverity(other) && !(double.IsFinite(level) && level >= 0):
                throw new ArgumentException(Invariant($"level must be a finite number >= 0 for kind {kind} (was {level})"), nameof(level));
        }
    }

    /// <inheritdoc />
    public bool Equals(PerturbationResult? other) =>
        other is not null && Kind == other.Kind && Level.Equals(other.Level) && Label == other.Label && Accuracy.Equals(other.Accuracy)
        && Corruption == other.Corruption && Version == other.Version && (Stages ?? []).SequenceEqual(other.Stages ?? []);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, Level, Label, Accuracy, Corruption, Version);

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

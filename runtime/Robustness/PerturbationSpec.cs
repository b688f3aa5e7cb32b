using NfmGen.Reports;
using static System.FormattableString;

namespace NfmGen.Robustness;

/// <summary>
/// One kind of perturbation at one or more levels, as <see cref="RobustnessEvaluator"/> evaluates it: white noise σ,
/// salt and pepper γ, FGSM or PGD ε (pixel units). Each level becomes one <see cref="PerturbationResult"/>. The CLI's
/// text form (<see cref="ToString"/>, parsed by <see cref="Parse"/>) is e.g. <c>white:0.1,0.2</c>,
/// <c>sp-ref:0.02</c>, <c>pgd:8/255:steps=20</c>.
/// </summary>
public sealed record PerturbationSpec
{
    /// <summary>Creates a spec; throws unless every value is in range.</summary>
    /// <param name="kind"><see cref="PerturbationKind.WhiteNoise"/>, <see cref="PerturbationKind.SaltAndPepper"/>,
    /// <see cref="PerturbationKind.Fgsm"/> or <see cref="PerturbationKind.Pgd"/>.</param>
    /// <param name="levels">σ (finite, &gt;= 0), γ (in [0, 1]) or ε (in [0, 1], pixel units); at least one, no repeats.</param>
    /// <param name="variant">Standard or reference definition; <see cref="NoiseVariant.Reference"/> only for white noise
    /// and salt and pepper.</param>
    /// <param name="pgdOptions">PGD's options (null for <see cref="PgdOptions.Default"/>); must be null for other kinds.</param>
    /// <param name="autoAttack">AutoAttack's version for the AutoAttack kinds (null for <see cref="Robustness.AutoAttackVersion.Standard"/>); must be null for other kinds.</param>
    /// <exception cref="ArgumentException">A value is out of range; the message names it and what is accepted.</exception>
    internal PerturbationSpec(PerturbationKind kind, IReadOnlyList<double> levels, NoiseVariant variant = NoiseVariant.Standard, PgdOptions? pgdOptions = null,
        AutoAttackVersion? autoAttack = null)
    {
        ArgumentNullException.ThrowIfNull(levels);
        if (kind is not (PerturbationKind.WhiteNoise or PerturbationKind.SaltAndPepper or PerturbationKind.Fgsm or PerturbationKind.Pgd
            or PerturbationKind.AutoAttack or PerturbationKind.AutoAttackL2 or PerturbationKind.FeatureDrop))
            throw new ArgumentException($"kind must be WhiteNoise, SaltAndPepper, Fgsm, Pgd, AutoAttack, AutoAttackL2 or FeatureDrop (was {kind}); CIFAR-10-C is evaluated from its folder ({nameof(CifarCorruptionFolder)}).", nameof(kind));
        if (autoAttack is { } version && (!PerturbationResult.IsAutoAttack(kind) || !Enum.IsDefined(version)))
            throw new ArgumentException($"an AutoAttack version applies to the AutoAttack kinds only, and must be one of {string.Join(", ", Enum.GetNames<Robustness.AutoAttackVersion>())} (kind was {kind}, version {version}).", nameof(autoAttack));
        if (!Enum.IsDefined(variant))
            throw new ArgumentException(Invariant($"variant must be a {nameof(NoiseVariant)} value (was {(int)variant})."), nameof(variant));
        if (variant == NoiseVariant.Reference && kind is not (PerturbationKind.WhiteNoise or PerturbationKind.SaltAndPepper))
            throw new ArgumentException($"the reference variant exists for WhiteNoise and SaltAndPepper only (kind was {kind}).", nameof(variant));
        if (pgdOptions is not null && kind != PerturbationKind.Pgd)
            throw new ArgumentException($"PGD options apply to kind Pgd only (kind was {kind}).", nameof(pgdOptions));
        if (levels.Count == 0)
            throw new ArgumentException($"levels must hold at least one {LevelName(kind)}.", nameof(levels));
        for (int i = 0; i < levels.Count; i++)
        {
            if (LevelError(kind, levels[i]) is { } error)
                throw new ArgumentException(error, nameof(levels));
            if (levels.Take(i).Contains(levels[i]))
                throw new ArgumentException(Invariant($"levels must not repeat ({levels[i]} appears twice)."), nameof(levels));
        }

        Kind = kind;
        Levels = levels.ToArray();
        Variant = variant;
        PgdOptions = kind == PerturbationKind.Pgd ? pgdOptions ?? PgdOptions.Default : null;
        AutoAttackVersion = PerturbationResult.IsAutoAttack(kind) ? autoAttack ?? Robustness.AutoAttackVersion.Standard : null;
    }

    /// <summary>The perturbation.</summary>
    public PerturbationKind Kind { get; }

    /// <summary>σ, γ or ε per result, in the order given.</summary>
    public IReadOnlyList<double> Levels { get; }

    /// <summary>Standard or reference definition (white noise and salt and pepper).</summary>
    internal NoiseVariant Variant { get; }

    /// <summary>PGD's options for kind <see cref="PerturbationKind.Pgd"/>; null for other kinds.</summary>
    internal PgdOptions? PgdOptions { get; }

    /// <summary>AutoAttack's version for the AutoAttack kinds; null for other kinds.</summary>
    public AutoAttackVersion? AutoAttackVersion { get; }

    /// <summary>How <see cref="AutoAttackVersion"/> is written in specs and reports: <c>standard</c> or <c>fast</c>.</summary>
    internal string? AutoAttackName => AutoAttackVersion?.ToString().ToLowerInvariant();

    /// <summary>The kind as the CLI writes it: white, white-ref, sp, sp-ref, fgsm, pgd, autoattack, autoattack-l2 or feature-drop.</summary>
    public string Name => (Kind, Variant) switch
    {
        (PerturbationKind.WhiteNoise, NoiseVariant.Standard) => "white",
        (PerturbationKind.WhiteNoise, _) => "white-ref",
        (PerturbationKind.SaltAndPepper, NoiseVariant.Standard) => "sp",
        (PerturbationKind.SaltAndPepper, _) => "sp-ref",
        (PerturbationKind.Fgsm, _) => "fgsm",
        (PerturbationKind.AutoAttack, _) => "autoattack",
        (PerturbationKind.AutoAttackL2, _) => "autoattack-l2",
        (PerturbationKind.FeatureDrop, _) => "feature-drop",
        _ => "pgd",
    };

    /// <summary>White noise of standard deviations <paramref name="sigmas"/> in pixel units (<c>white-ref</c>: <see cref="Parse"/>).</summary>
    public static PerturbationSpec WhiteNoise(IReadOnlyList<double> sigmas) => WhiteNoise(sigmas, NoiseVariant.Standard);

    /// <summary>White noise of standard deviations <paramref name="sigmas"/> (see <see cref="NoiseVariant"/> for the space).</summary>
    internal static PerturbationSpec WhiteNoise(IReadOnlyList<double> sigmas, NoiseVariant variant) => new(PerturbationKind.WhiteNoise, sigmas, variant);

    /// <summary>Salt and pepper of densities <paramref name="gammas"/> (<c>sp-ref</c>: <see cref="Parse"/>).</summary>
    public static PerturbationSpec SaltAndPepper(IReadOnlyList<double> gammas) => SaltAndPepper(gammas, NoiseVariant.Standard);

    /// <summary>Salt and pepper of densities <paramref name="gammas"/> (see <see cref="NoiseVariant"/> for the definition).</summary>
    internal static PerturbationSpec SaltAndPepper(IReadOnlyList<double> gammas, NoiseVariant variant) => new(PerturbationKind.SaltAndPepper, gammas, variant);

    /// <summary>
    /// Feature drop on table rows: each input column of each row missing with probability p in <paramref name="fractions"/>,
    /// filled as training filled missing values (a one-hot column whole).
    /// </summary>
    public static PerturbationSpec FeatureDrop(IReadOnlyList<double> fractions) => new(PerturbationKind.FeatureDrop, fractions);

    /// <summary>FGSM with budgets <paramref name="epsilons"/> in pixel units.</summary>
    public static PerturbationSpec Fgsm(IReadOnlyList<double> epsilons) => new(PerturbationKind.Fgsm, epsilons);

    /// <summary>PGD with budgets <paramref name="epsilons"/> in pixel units, with the reference's steps (other steps: <see cref="Parse"/>).</summary>
    public static PerturbationSpec Pgd(IReadOnlyList<double> epsilons) => Pgd(epsilons, null);

    /// <summary>PGD with budgets <paramref name="epsilons"/> in pixel units.</summary>
    internal static PerturbationSpec Pgd(IReadOnlyList<double> epsilons, PgdOptions? options) => new(PerturbationKind.Pgd, epsilons, pgdOptions: options);

    /// <summary>
    /// AutoAttack (Croce and Hein, 2020, as fra31/auto-attack runs it) with L∞ budgets <paramref name="epsilons"/> in
    /// pixel units, e.g. 8/255: the accuracy that survives every attack of <paramref name="version"/>.
    /// </summary>
    public static PerturbationSpec AutoAttack(IReadOnlyList<double> epsilons, AutoAttackVersion version = Robustness.AutoAttackVersion.Standard) =>
        new(PerturbationKind.AutoAttack, epsilons, autoAttack: version);

    /// <summary>AutoAttack with L2 budgets <paramref name="epsilons"/> in pixel units, e.g. 0.5.</summary>
    public static PerturbationSpec AutoAttackL2(IReadOnlyList<double> epsilons, AutoAttackVersion version = Robustness.AutoAttackVersion.Standard) =>
        new(PerturbationKind.AutoAttackL2, epsilons, autoAttack: version);

    /// <summary>The syntax of <see cref="Parse"/>, as help texts show it.</summary>
    public const string Syntax = PerturbationSpecParser.Syntax;

    /// <summary>Reads one spec, e.g. <c>white:0.1,0.2</c>, <c>white-ref:0.1</c> or <c>pgd:8/255:steps=20:start=zero</c> (<see cref="Syntax"/>).</summary>
    /// <exception cref="FormatException">The text is not a spec; the message quotes it and says what is accepted.</exception>
    public static PerturbationSpec Parse(string text) => PerturbationSpecParser.Parse(text);

    /// <summary>Reads several specs, each as <see cref="Parse"/>, and checks that no two give the same report column.</summary>
    /// <exception cref="FormatException">A spec is not valid, or two give results in one column (e.g. white:0.1 and white-ref:0.1).</exception>
    public static IReadOnlyList<PerturbationSpec> ParseAll(IEnumerable<string> texts) => PerturbationSpecParser.ParseAll(texts);

    /// <summary>The result at <paramref name="level"/>, labelled as the report factories do ("0.1", "8/255").</summary>
    public PerturbationResult Result(double level, double accuracy) => Kind switch
    {
        PerturbationKind.WhiteNoise => PerturbationResult.WhiteNoise(level, accuracy),
        PerturbationKind.SaltAndPepper => PerturbationResult.SaltAndPepper(level, accuracy),
        PerturbationKind.Fgsm => PerturbationResult.Fgsm(level, accuracy),
        PerturbationKind.AutoAttack => PerturbationResult.AutoAttack(level, AutoAttackName!, [], accuracy),
        PerturbationKind.AutoAttackL2 => PerturbationResult.AutoAttackL2(level, AutoAttackName!, [], accuracy),
        PerturbationKind.FeatureDrop => PerturbationResult.FeatureDrop(level, accuracy),
        _ => PerturbationResult.Pgd(level, accuracy),
    };

    /// <summary>The CLI form, which <see cref="Parse"/> reads back: e.g. "white:0.1,0.2" or "pgd:2/255,8/255:steps=10:start=random".</summary>
    public override string ToString()
    {
        string levels = string.Join(",", Levels.Select(level => Result(level, 0).Label));
        return PgdOptions is not null ? $"{Name}:{levels}:{PgdText(PgdOptions)}"
            : AutoAttackName is { } version ? $"{Name}:{levels}:version={version}"
            : $"{Name}:{levels}";
    }

    /// <inheritdoc/>
    public bool Equals(PerturbationSpec? other) =>
        other is not null && Kind == other.Kind && Variant == other.Variant && Equals(PgdOptions, other.PgdOptions) && AutoAttackVersion == other.AutoAttackVersion
        && Levels.SequenceEqual(other.Levels);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Kind, Variant, PgdOptions, AutoAttackVersion, Levels.Count);

    /// <summary>
    /// Why two of <paramref name="specs"/> give a result in the same report column (same kind and level, e.g. white:0.1
    /// and white-ref:0.1), or null when none do: a <see cref="ReportRow"/> holds one result per column.
    /// </summary>
    internal static string? ColumnClash(IReadOnlyList<PerturbationSpec> specs)
    {
        var seen = new Dictionary<(PerturbationKind, string?, double), PerturbationSpec>();
        foreach (var spec in specs)
        {
            foreach (double level in spec.Levels)
            {
                if (seen.TryGetValue((spec.Kind, spec.AutoAttackName, level), out var first))
                {
                    string header = new ReportColumn(spec.Kind, null, level, spec.Result(level, 0).Label, spec.AutoAttackName).Header;
                    return $"\"{first}\" and \"{spec}\" both give the report column \"{header}\"; a report row holds one result per column, so evaluate them as separate rows";
                }
                seen.Add((spec.Kind, spec.AutoAttackName, level), spec);
            }
        }
        return null;
    }

    /// <summary>Why <paramref name="level"/> is not a valid level of <paramref name="kind"/>, or null when it is.</summary>
    internal static string? LevelError(PerturbationKind kind, double level) => kind switch
    {
        PerturbationKind.WhiteNoise when !(level >= 0 && double.IsFinite(level)) =>
            Invariant($"sigma (white-noise standard deviation) must be >= 0 and finite (was {level})."),
        PerturbationKind.SaltAndPepper when !(level >= 0 && level <= 1) =>
            Invariant($"gamma (salt-and-pepper density) must be in [0, 1] (was {level})."),
        PerturbationKind.Fgsm or PerturbationKind.Pgd or PerturbationKind.AutoAttack when !(level >= 0 && level <= 1) =>
            Invariant($"epsilon (L∞ budget in pixel units) must be in [0, 1], e.g. 8/255 (was {level})."),
        PerturbationKind.FeatureDrop when !(level >= 0 && level <= 1) =>
            Invariant($"p (the probability that a feature is dropped) must be in [0, 1] (was {level})."),
        PerturbationKind.AutoAttackL2 when !(level >= 0 && double.IsFinite(level)) =>
            Invariant($"epsilon (L2 budget in pixel units) must be >= 0 and finite, e.g. 0.5 (was {level})."),
        _ => null,
    };

    private static string LevelName(PerturbationKind kind) => kind switch
    {
        PerturbationKind.WhiteNoise => "sigma",
        PerturbationKind.SaltAndPepper => "gamma",
        PerturbationKind.FeatureDrop => "p",
        _ => "epsilon",
    };

    private static string PgdText(PgdOptions options)
    {
        string text = Invariant($"steps={options.Steps}");
        if (options.StepSize is { } size)
            text += ":step=" + PerturbationResult.Pgd(size, 0).Label; // written like a budget: 1/255, or 0.004
        return text + (options.RandomStart ? ":start=random" : ":start=zero");
    }
}

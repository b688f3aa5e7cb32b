using System.Globalization;
using NfmGen.Reports;

namespace NfmGen.Robustness;

/// <summary>
/// Reads perturbation specs in the CLI's syntax (<see cref="Syntax"/>): <c>kind:levels[:option...]</c>, where kind is
/// white, white-ref, sp, sp-ref, fgsm, pgd, autoattack, autoattack-l2 or feature-drop (case-insensitive), levels a comma-separated list of numbers or fractions
/// (<c>8/255</c>), and PGD takes the options <c>steps=N</c>, <c>step=α</c> (pixel units) and <c>start=random|zero</c>;
/// autoattack (L∞) and autoattack-l2 take <c>version=standard|fast</c>.
/// Errors are <see cref="FormatException"/>s that quote the spec, name the bad part and list the accepted forms.
/// </summary>
internal static class PerturbationSpecParser
{
    /// <summary>The accepted forms, for help texts and error messages.</summary>
    public const string Syntax =
        "white:0.1,0.2,0.3 | white-ref:0.1 | sp:0.02,0.04,0.1 | sp-ref:0.02 | fgsm:8/255 | " +
        "pgd:2/255,8/255[:steps=10][:step=0.5/255][:start=random|zero] | autoattack:8/255[:version=standard|fast] | autoattack-l2:0.5[:version=standard|fast] | feature-drop:0.1,0.2 (tables) " +
        "(levels are numbers or fractions a/b; PGD's step defaults to 2.5*eps/steps)";

    private static readonly string[] Kinds = ["white", "white-ref", "sp", "sp-ref", "fgsm", "pgd", "autoattack", "autoattack-l2", "feature-drop"];

    /// <summary>Reads one spec, e.g. <c>white:0.1,0.2</c> or <c>pgd:8/255:steps=20:start=zero</c>.</summary>
    /// <exception cref="FormatException">The text is not a spec; the message quotes it and says what is accepted.</exception>
    public static PerturbationSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] parts = text.Trim().Split(':');
        string kind = parts[0].Trim().ToLowerInvariant();
        if (kind.Length == 0)
            throw Error(text, "the kind is missing");
        if (!Kinds.Contains(kind))
            throw Error(text, $"unknown kind \"{parts[0].Trim()}\" (accepted: {string.Join(", ", Kinds)})");
        if (parts.Length < 2 || parts[1].Trim().Length == 0)
            throw Error(text, $"no levels after \"{kind}:\"");

        var (perturbation, variant) = kind switch
        {
            "white" => (PerturbationKind.WhiteNoise, NoiseVariant.Standard),
            "white-ref" => (PerturbationKind.WhiteNoise, NoiseVariant.Reference),
            "sp" => (PerturbationKind.SaltAndPepper, NoiseVariant.Standard),
            "sp-ref" => (PerturbationKind.SaltAndPepper, NoiseVariant.Reference),
            "fgsm" => (PerturbationKind.Fgsm, NoiseVariant.Standard),
            "autoattack" => (PerturbationKind.AutoAttack, NoiseVariant.Standard),
            "autoattack-l2" => (PerturbationKind.AutoAttackL2, NoiseVariant.Standard),
            "feature-drop" => (PerturbationKind.FeatureDrop, NoiseVariant.Standard),
            _ => (PerturbationKind.Pgd, NoiseVariant.Standard),
        };
        var levels = new List<double>();
        foreach (string token in parts[1].Split(','))
        {
            double level = Number(text, token, "level");
            if (PerturbationSpec.LevelError(perturbation, level) is { } error)
                throw Error(text, $"level \"{token.Trim()}\": {error}");
            if (levels.Contains(level))
                throw Error(text, $"level \"{token.Trim()}\" appears twice");
            levels.Add(level);
        }

        var autoAttack = PerturbationResult.IsAutoAttack(perturbation);
        if (perturbation != PerturbationKind.Pgd && !autoAttack && parts.Length > 2)
            throw Error(text, $"options (\"{string.Join(":", parts.Skip(2))}\") apply to pgd and autoattack only");
        var pgd = perturbation == PerturbationKind.Pgd ? PgdOptionsOf(text, parts.Skip(2)) : null;
        var version = autoAttack ? AutoAttackVersionOf(text, parts.Skip(2)) : (AutoAttackVersion?)null;
        return new PerturbationSpec(perturbation, levels, variant, pgd, version);
    }

    /// <summary>Reads several specs, each as <see cref="Parse"/>, and checks that no two give the same report column.</summary>
    /// <exception cref="FormatException">A spec is not valid, or two give results in one column (e.g. white:0.1 and white-ref:0.1).</exception>
    public static IReadOnlyList<PerturbationSpec> ParseAll(IEnumerable<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var specs = texts.Select(Parse).ToArray();
        if (PerturbationSpec.ColumnClash(specs) is { } clash)
            throw new FormatException(clash + ".");
        return specs;
    }

    private static PgdOptions PgdOptionsOf(string text, IEnumerable<string> options)
    {
        int steps = PgdOptions.Default.Steps;
        double? stepSize = null;
        bool randomStart = PgdOptions.Default.RandomStart;
        var seen = new HashSet<string>();
        foreach (string option in options)
        {
            string[] keyValue = option.Split('=', 2);
            string key = keyValue[0].Trim().ToLowerInvariant();
            if (keyValue.Length != 2 || keyValue[1].Trim().Length == 0)
                throw Error(text, $"option \"{option}\" is not key=value (accepted: steps=N, step=a/b, start=random|zero)");
            if (!seen.Add(key))
                throw Error(text, $"option \"{key}\" is given twice");
            string value = keyValue[1].Trim();
            switch (key)
            {
                case "steps":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out steps) || steps < 1)
                        throw Error(text, $"steps \"{value}\" must be a whole number >= 1");
                    break;
                case "step":
                    double size = Number(text, value, "step");
                    if (!(size > 0))
                        throw Error(text, $"step \"{value}\" must be > 0 (pixel units, e.g. 0.5/255)");
                    stepSize = size;
                    break;
                case "start":
                    randomStart = value.ToLowerInvariant() switch
                    {
                        "random" => true,
                        "zero" => false,
                        _ => throw Error(text, $"start \"{value}\" must be random or zero"),
                    };
                    break;
                default:
                    throw Error(text, $"unknown option \"{key}\" (accepted: steps=N, step=a/b, start=random|zero)");
            }
        }
        return new PgdOptions(steps, stepSize, randomStart);
    }

    /// <summary>The version an autoattack spec names (<c>version=fast</c>), <see cref="AutoAttackVersion.Standard"/> when it names none.</summary>
    private static AutoAttackVersion AutoAttackVersionOf(string text, IEnumerable<string> options)
    {
        var version = AutoAttackVersion.Standard;
        var given = false;
        foreach (string option in options)
        {
            string[] keyValue = option.Split('=', 2);
            if (keyValue.Length != 2 || keyValue[0].Trim().ToLowerInvariant() != "version")
                throw Error(text, $"option \"{option}\" is not one of autoattack's (accepted: version=standard|fast)");
            if (given)
                throw Error(text, "option \"version\" is given twice");
            given = true;
            version = keyValue[1].Trim().ToLowerInvariant() switch
            {
                "standard" => AutoAttackVersion.Standard,
                "fast" => AutoAttackVersion.Fast,
                _ => throw Error(text, $"version \"{keyValue[1].Trim()}\" is not an AutoAttack version (accepted: standard, fast)"),
            };
        }
        return version;
    }

    /// <summary>A finite number written as a decimal (0.1, 1e-2) or a fraction (8/255).</summary>
    private static double Number(string text, string token, string what)
    {
        string trimmed = token.Trim();
        string[] fraction = trimmed.Split('/');
        double value = double.NaN;
        bool parsed = fraction.Length switch
        {
            1 => TryDecimal(fraction[0], out value),
            2 => TryDecimal(fraction[0], out double numerator) & TryDecimal(fraction[1], out double denominator) && denominator != 0
                && double.IsFinite(value = numerator / denominator),
            _ => false,
        };
        if (!parsed)
            throw Error(text, $"{what} \"{trimmed}\" is not a number or a fraction such as 0.1 or 8/255");
        return value;
    }

    private static bool TryDecimal(string token, out double value) =>
        double.TryParse(token.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    private static FormatException Error(string text, string problem) =>
        new($"perturbation \"{text}\": {problem}. Accepted forms: {Syntax}");
}

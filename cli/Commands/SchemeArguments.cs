using System.CommandLine;
using NfmGen.Data.Augmentation;
using NfmGen.Mixing;
using NfmGen.Mixing.PuzzleMix;
using NfmGen.Training;

namespace NfmGen.Cli.Commands;

/// <summary>
/// The options of <c>nfm train</c> that choose and change a scheme (<c>--scheme</c>, <c>--alpha</c>, the noise levels,
/// the mix points, label smoothing, Puzzle Mix's adversarial step), and the scheme they give.
/// </summary>
internal sealed class SchemeArguments
{
    public Option<string> Name { get; } = new Option<string>("--scheme")
    {
        Description = $"The training scheme: {string.Join("; ", SchemeCatalog.All.Select(preset => $"{preset.Name} ({preset.Summary})"))}.",
        DefaultValueFactory = _ => TrainingScheme.Nfm().Name,
    }.OneOf(SchemeCatalog.Names);

    public Option<double?> Alpha { get; } = new("--alpha") { Description = "Mixing: lambda ~ Beta(alpha, alpha) (0 turns mixing off); CutMix's alpha for cutmix, Puzzle Mix's for puzzlemix." };

    public Option<double?> AdversarialProbability { get; } = new("--adv-p")
    {
        Description = "puzzlemix: the probability of its adversarial step per side and batch, in [0, 1] (the reference's adversarial Puzzle Mix: 0.1; default 0, off).",
    };

    public Option<double?> AdversarialEpsilon { get; } = new("--adv-eps")
    {
        Description = FormattableString.Invariant($"puzzlemix with --adv-p: the adversarial step's size in 1/255 pixel units (default {new PuzzleMixOptions().AdversarialEpsilon}, the reference's)."),
    };

    public Option<double?> Additive { get; } = new("--add-noise") { Description = FormattableString.Invariant($"Additive noise level (NFM: {NfmPresets.AdditiveNoise}).") };

    public Option<double?> Multiplicative { get; } = new("--mult-noise") { Description = FormattableString.Invariant($"Multiplicative noise level (NFM: {NfmPresets.MultiplicativeNoise}).") };

    public Option<string?> MixPoints { get; } = new("--mix-points") { Description = "Where to mix: all, input, or mix points such as 0,1,2 (see 'nfm models')." };

    public Option<double?> Sparsity { get; } = new("--noise-sparsity")
    {
        Description = FormattableString.Invariant($"The fraction of noise entries dropped, in [0, 1) (NoisyMix's sparse_level; noisymix: {NfmPresets.NoisyMix.Sparsity}; others: 0)."),
    };

    public Option<int?> AugMixSeverity { get; } = new("--augmix-severity")
    {
        Description = FormattableString.Invariant($"augmix, noisymix: the severity of AugMix's operations, 1..{AugMixOptions.MaxSeverity} (default {new AugMixOptions().Severity}, the reference's)."),
    };

    public Option<int?> AugMixWidth { get; } = new("--augmix-width")
    {
        Description = FormattableString.Invariant($"augmix, noisymix: the augmentation chains each mixture mixes (default {new AugMixOptions().Width})."),
    };

    public Option<int?> AugMixDepth { get; } = new("--augmix-depth")
    {
        Description = "augmix, noisymix: the operations of each chain (default: 1 to 3 at random, the reference's -1).",
    };

    public Option<bool> AugMixAllOperations { get; } = new("--augmix-all-ops")
    {
        Description = "augmix, noisymix: draw from all thirteen operations, adding colour, contrast, brightness and sharpness (which overlap with ImageNet-C's corruptions).",
    };

    public Option<double?> JsdWeight { get; } = new("--jsd-weight")
    {
        Description = FormattableString.Invariant($"augmix, noisymix: the weight of the Jensen-Shannon consistency loss (default {new AugMixOptions().JsdWeight}, the reference's; 0: the clean view's cross-entropy only)."),
    };

    public Option<bool> FixedNoise { get; } = new("--fixed-noise") { Description = "Use the noise levels as given, instead of scaling each by a Beta(2, 5) draw per batch as the reference code." };

    public Option<double?> Smoothing { get; } = new("--label-smoothing")
    {
        Description = FormattableString.Invariant($"Label smoothing of the loss (label-smoothing scheme: {TrainingScheme.LabelSmoothed().LabelSmoothing})."),
    };

    /// <summary>The options, in the order <c>nfm train --help</c> lists them.</summary>
    public IEnumerable<Option> All =>
    [
        Name, Alpha, AdversarialProbability, AdversarialEpsilon, Additive, Multiplicative, Sparsity, MixPoints, FixedNoise, Smoothing,
        AugMixSeverity, AugMixWidth, AugMixDepth, AugMixAllOperations, JsdWeight,
    ];

    private Option[] AugMixOnly => [AugMixSeverity, AugMixWidth, AugMixDepth, AugMixAllOperations, JsdWeight];

    /// <summary>
    /// The scheme these options name for <paramref name="network"/>: the preset (as <paramref name="recipe"/> trains it,
    /// if any) with the changes given, named after them ("nfm (alpha 0.2)") when there are any.
    /// </summary>
    /// <exception cref="ArgumentException">An option does not apply to the scheme, or a value is out of range.</exception>
    public TrainingScheme Parse(ParseResult result, NfmNetworkInfo network, DatasetRecipe? recipe)
    {
        var preset = TrainingScheme.Parse(result.GetValue(Name)!);
        if (preset.Method is not PuzzleMixMethod && Given(result, [AdversarialProbability, AdversarialEpsilon]) is { } puzzleMixOnly)
            throw new ArgumentException($"{puzzleMixOnly.Name} applies only to --scheme puzzlemix (its adversarial step); {preset.Name} has none");
        if (preset.AugMix is null && Given(result, AugMixOnly) is { } augMixOnly)
            throw new ArgumentException($"{augMixOnly.Name} applies only to the schemes with AugMix's views (augmix, noisymix); {preset.Name} has none");
        preset = recipe?.Adapt(preset) ?? preset;
        var smoothingValue = result.GetValue(Smoothing) ?? preset.LabelSmoothing;
        Option[] mixingOnly = [Additive, Multiplicative, Sparsity, MixPoints, FixedNoise];
        var scheme = preset.Method switch
        {
            CutMixMethod cutMix => preset with { Method = ChangedCutMix(result, cutMix, mixingOnly), LabelSmoothing = smoothingValue },
            NfmMethod nfm => preset with { Method = ChangedNfm(result, nfm, network), LabelSmoothing = smoothingValue },
            PuzzleMixMethod puzzleMix => preset with { Method = ChangedPuzzleMix(result, puzzleMix, mixingOnly), LabelSmoothing = smoothingValue },
            _ => throw new InvalidOperationException($"nfm train does not know the mixing method {preset.Method.GetType().Name}"),
        };
        scheme = scheme with { AugMix = ChangedAugMix(result, preset.AugMix) };
        scheme.Validate(network);
        // A changed preset says so in its name, which reports and comparisons show: "nfm (alpha 0.2)".
        return scheme == preset ? preset : scheme with { Name = $"{preset.Name} ({Describe(scheme, preset, network)})" };
    }

    private static Option? Given(ParseResult result, Option[] options) => options.FirstOrDefault(option => result.GetResult(option) is { Implicit: false });

    private AugMixOptions? ChangedAugMix(ParseResult result, AugMixOptions? preset)
    {
        if (preset is null)
            return null;
        var options = preset;
        if (result.GetValue(AugMixSeverity) is { } severity)
            options = options with { Severity = severity };
        if (result.GetValue(AugMixWidth) is { } width)
            options = options with { Width = width };
        if (result.GetValue(AugMixDepth) is { } depth)
            options = options with { Depth = depth };
        if (result.GetValue(AugMixAllOperations))
            options = options with { AllOperations = true };
        if (result.GetValue(JsdWeight) is { } weight)
            options = options with { JsdWeight = weight };
        try
        {
            options.Validate();
        }
        catch (ArgumentException error)
        {
            // Named as the user typed it: "Width" alone reads like the network's --width.
            var flag = error.ParamName switch
            {
                nameof(AugMixOptions.Severity) => AugMixSeverity.Name,
                nameof(AugMixOptions.Width) => AugMixWidth.Name,
                nameof(AugMixOptions.Depth) => AugMixDepth.Name,
                _ => JsdWeight.Name,
            };
            throw new ArgumentException($"{flag}: {error.Message}", error);
        }
        return options;
    }

    private CutMixMethod ChangedCutMix(ParseResult result, CutMixMethod preset, Option[] mixingOnly)
    {
        if (Given(result, mixingOnly) is { } unused)
            throw new ArgumentException($"{unused.Name} does not apply to cutmix, which pastes boxes at the input without noise");
        return result.GetValue(Alpha) is { } cutMixAlpha ? preset with { Alpha = cutMixAlpha } : preset;
    }

    private PuzzleMixMethod ChangedPuzzleMix(ParseResult result, PuzzleMixMethod preset, Option[] mixingOnly)
    {
        if (Given(result, mixingOnly) is { } unused)
            throw new ArgumentException($"{unused.Name} does not apply to puzzlemix, which mixes saliency-chosen blocks at the input without noise");
        var options = preset.Options;
        if (result.GetValue(Alpha) is { } puzzleMixAlpha)
            options = options with { Alpha = puzzleMixAlpha };
        if (result.GetValue(AdversarialProbability) is { } probability)
            options = options with { AdversarialProbability = probability };
        if (result.GetValue(AdversarialEpsilon) is { } epsilon)
            options = options with { AdversarialEpsilon = epsilon };
        // The ranges are the options' own; an ε without a step to size would be silently ignored.
        options.Validate();
        if (result.GetValue(AdversarialEpsilon) is { } unusedEpsilon && options.AdversarialProbability == 0)
            throw new ArgumentException(
                FormattableString.Invariant($"--adv-eps {unusedEpsilon} sizes Puzzle Mix's adversarial step, which is off: add --adv-p, its probability (the reference's adversarial Puzzle Mix: --adv-p 0.1 --adv-eps 10)"));
        return preset with { Options = options };
    }

    private NfmMethod ChangedNfm(ParseResult result, NfmMethod preset, NfmNetworkInfo network)
    {
        var mixing = preset.Options;
        if (result.GetValue(Alpha) is { } mixingAlpha)
            mixing = mixing with { Alpha = mixingAlpha };
        if (result.GetValue(Additive) is { } add)
            mixing = mixing with { AdditiveNoise = add };
        if (result.GetValue(Multiplicative) is { } mult)
            mixing = mixing with { MultiplicativeNoise = mult };
        if (result.GetValue(Sparsity) is { } sparsity)
            mixing = mixing with { Sparsity = sparsity };
        // Points that select what the preset selects in this network ("0,1,2,3" for "all") keep the preset's own.
        if (result.GetValue(MixPoints) is { } points && MixPointSelection.Parse(points) is var selection
            && !selection.Resolve(network).SequenceEqual(mixing.MixPoints.Resolve(network)))
            mixing = mixing with { MixPoints = selection };
        if (result.GetValue(FixedNoise))
            mixing = mixing with { NoiseScale = NoiseScaleRule.Fixed };
        return preset with { Options = mixing };
    }

    private static string Describe(TrainingScheme scheme, TrainingScheme preset, NfmNetworkInfo network)
    {
        var changes = new List<string>();
        switch (scheme.Method, preset.Method)
        {
            case (NfmMethod { Options: var mixing }, NfmMethod { Options: var original }):
                if (mixing.Alpha != original.Alpha)
                    changes.Add(FormattableString.Invariant($"alpha {mixing.Alpha}"));
                if (mixing.AdditiveNoise != original.AdditiveNoise)
                    changes.Add(FormattableString.Invariant($"add {mixing.AdditiveNoise}"));
                if (mixing.MultiplicativeNoise != original.MultiplicativeNoise)
                    changes.Add(FormattableString.Invariant($"mult {mixing.MultiplicativeNoise}"));
                if (mixing.Sparsity != original.Sparsity)
                    changes.Add(FormattableString.Invariant($"sparsity {mixing.Sparsity}"));
                if (!mixing.MixPoints.Equals(original.MixPoints))
                    changes.Add($"points {string.Join(",", mixing.MixPoints.Resolve(network))}");
                if (mixing.NoiseScale != original.NoiseScale)
                    changes.Add("fixed noise");
                break;
            case (CutMixMethod { Alpha: var alpha }, CutMixMethod { Alpha: var originalAlpha }) when alpha != originalAlpha:
                changes.Add(FormattableString.Invariant($"alpha {alpha}"));
                break;
            case (PuzzleMixMethod { Options: var puzzle }, PuzzleMixMethod { Options: var original }):
                if (puzzle.Alpha != original.Alpha)
                    changes.Add(FormattableString.Invariant($"alpha {puzzle.Alpha}"));
                // The step's size is part of what an adversarial run trains with: "puzzlemix (adv 0.1, eps 10)".
                if (puzzle.AdversarialProbability != original.AdversarialProbability || puzzle.AdversarialEpsilon != original.AdversarialEpsilon)
                    changes.Add(FormattableString.Invariant($"adv {puzzle.AdversarialProbability}, eps {puzzle.AdversarialEpsilon}"));
                break;
        }
        if (scheme.LabelSmoothing != preset.LabelSmoothing)
            changes.Add(FormattableString.Invariant($"smoothing {scheme.LabelSmoothing}"));
        if ((scheme.AugMix, preset.AugMix) is ({ } augMix, { } originalAugMix))
        {
            if (augMix.Severity != originalAugMix.Severity)
                changes.Add(FormattableString.Invariant($"severity {augMix.Severity}"));
            if (augMix.Width != originalAugMix.Width)
                changes.Add(FormattableString.Invariant($"width {augMix.Width}"));
            if (augMix.Depth != originalAugMix.Depth)
                changes.Add(FormattableString.Invariant($"depth {augMix.Depth}"));
            if (augMix.AllOperations != originalAugMix.AllOperations)
                changes.Add("all ops");
            if (augMix.JsdWeight != originalAugMix.JsdWeight)
                changes.Add(FormattableString.Invariant($"jsd {augMix.JsdWeight}"));
        }
        return string.Join(", ", changes);
    }
}

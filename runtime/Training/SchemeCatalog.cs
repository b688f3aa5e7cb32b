namespace NfmGen.Training;

/// <summary>A named training scheme with its default settings, and what it is.</summary>
/// <param name="Scheme">The scheme; its name is the preset's name.</param>
/// <param name="Summary">What the scheme does, for help texts.</param>
/// <param name="InNfmPaper">Whether the scheme is a row of the NFM paper's Table 1 (AugMix and NoisyMix came after it).</param>
internal sealed record SchemePreset(TrainingScheme Scheme, string Summary, bool InNfmPaper = true)
{
    /// <summary>The preset's name (<see cref="TrainingScheme.Name"/>).</summary>
    public string Name => Scheme.Name;
}

/// <summary>
/// Every named training scheme: the one list that <see cref="TrainingScheme.Parse"/>, <c>nfm train --scheme</c> and
/// <c>nfm import --scheme</c>, the sweep files' <c>scheme</c> values and the benchmarks read.
/// </summary>
internal static class SchemeCatalog
{
    /// <summary>Every preset, in the order of the paper's table 1 (Puzzle Mix, its last row, after NFM), then the authors' next step: AugMix and NoisyMix.</summary>
    public static IReadOnlyList<SchemePreset> All { get; } =
    [
        new(TrainingScheme.Erm(), "empirical risk minimisation, the baseline"),
        new(TrainingScheme.NoiseInjection(), "additive and multiplicative noise at the input"),
        new(TrainingScheme.LabelSmoothed(), "label smoothing 0.1"),
        new(TrainingScheme.InputMixup(), "mixup at the input"),
        new(TrainingScheme.CutMix(), "CutMix: boxes pasted between images"),
        new(TrainingScheme.ManifoldMixup(), "mixup at a random mix point"),
        new(TrainingScheme.NoisyMixup(), "mixup and noise at the input"),
        new(TrainingScheme.Nfm(), "Noisy Feature Mixup: mixup and noise at a random mix point"),
        new(TrainingScheme.PuzzleMix(), "Puzzle Mix: blocks of image pairs mixed by a saliency-driven graph cut"),
        new(TrainingScheme.AugMixed(), "AugMix: each image with two mixtures of augmentation chains, and their Jensen-Shannon consistency loss", InNfmPaper: false),
        new(TrainingScheme.NoisyMix(), "NoisyMix: AugMix's views and loss with noisy feature mixup of each view", InNfmPaper: false),
    ];

    /// <summary>The presets' names.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. All.Select(preset => preset.Name)];

    /// <summary>The names of the NFM paper's Table 1 rows, in its order (the shipped paper grids train these).</summary>
    public static IReadOnlyList<string> NfmPaperNames { get; } = [.. All.Where(preset => preset.InNfmPaper).Select(preset => preset.Name)];

    /// <summary>The datasets whose paper experiments have defaults of their own (ImageNet's Table 3).</summary>
    public static IReadOnlyList<DatasetRecipe> Recipes { get; } = [DatasetRecipe.ImageNet];

    /// <summary>The recipe of <paramref name="dataset"/> (any case), or null when it trains with the library's defaults.</summary>
    public static DatasetRecipe? RecipeFor(string dataset) =>
        Recipes.FirstOrDefault(recipe => recipe.Dataset.Equals(dataset, StringComparison.OrdinalIgnoreCase));

    // Other names that earlier versions accepted.
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase) { ["baseline"] = "erm" };

    /// <summary>The preset called <paramref name="name"/> (case-insensitive; <c>baseline</c> is erm).</summary>
    /// <exception cref="ArgumentException">No preset has that name; the message lists the names.</exception>
    public static SchemePreset Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var canonical = Aliases.GetValueOrDefault(name, name);
        return All.FirstOrDefault(preset => preset.Name.Equals(canonical, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"unknown scheme '{name}' (accepted: {string.Join(", ", Names)})", nameof(name));
    }
}

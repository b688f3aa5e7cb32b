using static System.FormattableString;

namespace NfmGen.Reports;

/// <summary>
/// The published numbers of the NFM paper's Tables 1-3 (Lim et al., ICLR 2022, as printed on its poster), as report rows
/// with <see cref="ReportRow.Source"/> "paper", to set beside one's own:
/// <c>report.WithRows(PaperResults.Rows(PaperTable.Cifar10PreActResNet18))</c>.
/// </summary>
/// <remarks>
/// The numbers are copied as printed. Two oddities of the poster are kept, not corrected: Table 1's "Noisy Mixup" row
/// is identical to Table 2's (78.9 clean on CIFAR-10 looks copied from CIFAR-100), and Table 2's CutMix γ = 0.04 value
/// is printed "58." (read as 58.0).
/// </remarks>
internal static class PaperResults
{
    /// <summary>What <see cref="ReportRow.Source"/> says on every paper row.</summary>
    public const string Source = "paper";

    private static readonly double[] CifarSigmas = [0.1, 0.2, 0.3];
    private static readonly double[] CifarGammas = [0.02, 0.04, 0.1];
    private static readonly double[] ImageNetSigmas = [0.1, 0.25, 0.5];
    private static readonly double[] ImageNetGammas = [0.06, 0.1, 0.15];

    /// <summary>The table's caption, usable as a report title, e.g. "CIFAR-10, PreActResNet-18 (NFM paper, Table 1)".</summary>
    /// <exception cref="ArgumentException"><paramref name="table"/> is not a <see cref="PaperTable"/> value.</exception>
    public static string Title(PaperTable table) => table switch
    {
        PaperTable.Cifar10PreActResNet18 => "CIFAR-10, PreActResNet-18 (NFM paper, Table 1)",
        PaperTable.Cifar100WideResNet18 => "CIFAR-100, Wide-ResNet-18 (NFM paper, Table 2)",
        PaperTable.ImageNetResNet50 => "ImageNet, ResNet-50 (NFM paper, Table 3)",
        _ => throw Unknown(table),
    };

    /// <summary>The table's rows, in the paper's order: clean accuracy, white noise σ, then salt and pepper γ.</summary>
    /// <exception cref="ArgumentException"><paramref name="table"/> is not a <see cref="PaperTable"/> value.</exception>
    public static IReadOnlyList<ReportRow> Rows(PaperTable table) => table switch
    {
        // Scheme, clean, σ 0.1, 0.2, 0.3, γ 0.02, 0.04, 0.1 (Table 1; averaged over 5 seeds).
        PaperTable.Cifar10PreActResNet18 =>
        [
            Cifar("Baseline", 94.6, 90.4, 76.7, 56.3, 86.3, 76.1, 55.2),
            Cifar("Baseline + Noise", 94.4, 94.0, 87.5, 71.2, 89.3, 82.5, 64.9),
            Cifar("Baseline + Label Smoothing", 95.0, 91.3, 77.5, 56.9, 87.7, 79.2, 60.0),
            Cifar("Mixup (α = 1.0)", 95.6, 93.2, 85.4, 71.8, 87.1, 76.1, 55.2),
            Cifar("CutMix", 96.3, 86.7, 60.8, 32.4, 90.9, 81.7, 54.7),
            Cifar("PuzzleMix", 96.3, 91.7, 78.1, 59.9, 91.4, 81.8, 54.4),
            Cifar("Manifold Mixup (α = 1.0)", 95.7, 92.7, 82.7, 67.6, 88.9, 80.2, 57.6),
            Cifar("Noisy Mixup (α = 1.0)", 78.9, 78.6, 66.6, 46.7, 66.6, 53.4, 25.9),
            Cifar("Noisy Feature Mixup (α = 1.0)", 95.4, 95.0, 91.6, 83.0, 91.9, 87.4, 73.3),
        ],
        // Same columns (Table 2; averaged over 5 seeds).
        PaperTable.Cifar100WideResNet18 =>
        [
            Cifar("Baseline", 76.9, 64.6, 42.0, 23.5, 58.1, 39.8, 15.1),
            Cifar("Baseline + Noise", 76.1, 75.2, 60.5, 37.6, 64.9, 51.3, 23.0),
            Cifar("Mixup (α = 1.0)", 80.3, 72.5, 54.0, 33.4, 62.5, 43.8, 16.2),
            Cifar("CutMix", 77.8, 58.3, 28.1, 13.8, 70.3, 58.0, 24.8),
            Cifar("PuzzleMix (200 epochs)", 78.6, 66.2, 41.1, 22.6, 69.4, 56.3, 23.3),
            Cifar("PuzzleMix (1200 epochs)", 80.3, 53.0, 19.1, 6.2, 69.3, 51.9, 15.7),
            Cifar("Manifold Mixup (α = 1.0)", 79.7, 70.5, 45.0, 23.8, 62.1, 42.8, 14.8),
            Cifar("Noisy Mixup (α = 1.0)", 78.9, 78.6, 66.6, 46.7, 66.6, 53.4, 25.9),
            Cifar("Noisy Feature Mixup (α = 1.0)", 80.9, 80.1, 72.1, 55.3, 72.8, 62.1, 34.4),
        ],
        // Scheme, clean, σ 0.1, 0.25, 0.5, γ 0.06, 0.1, 0.15 (Table 3).
        PaperTable.ImageNetResNet50 =>
        [
            ImageNet("Baseline", 76.0, 73.5, 67.0, 50.1, 53.2, 50.4, 45.0),
            ImageNet("Manifold Mixup (α = 0.2)", 76.7, 74.9, 70.3, 57.5, 58.1, 54.6, 49.5),
            ImageNet("Noisy Feature Mixup (α = 0.2)", 77.0, 76.5, 72.0, 60.1, 58.3, 56.0, 52.3),
            ImageNet("Noisy Feature Mixup (α = 1.0)", 76.8, 76.2, 71.7, 60.0, 60.9, 58.8, 54.4),
        ],
        _ => throw Unknown(table),
    };

    /// <summary>The table as a report: <see cref="Title"/> and <see cref="Rows"/>.</summary>
    public static RobustnessReport Report(PaperTable table) => new(Title(table), Rows(table));

    private static ReportRow Cifar(string scheme, double clean, params double[] sigmaThenGamma) =>
        Row(scheme, clean, CifarSigmas, CifarGammas, sigmaThenGamma);

    private static ReportRow ImageNet(string scheme, double clean, params double[] sigmaThenGamma) =>
        Row(scheme, clean, ImageNetSigmas, ImageNetGammas, sigmaThenGamma);

    /// <summary>A row from percentages as printed: the σ columns, then the γ columns.</summary>
    private static ReportRow Row(string scheme, double cleanPercent, double[] sigmas, double[] gammas, double[] percents)
    {
        var results = sigmas.Select((sigma, i) => PerturbationResult.WhiteNoise(sigma, percents[i] / 100))
            .Concat(gammas.Select((gamma, i) => PerturbationResult.SaltAndPepper(gamma, percents[sigmas.Length + i] / 100)))
            .ToArray();
        return new ReportRow(scheme, cleanPercent / 100, results) { Source = Source };
    }

    private static ArgumentException Unknown(PaperTable table) =>
        new(Invariant($"table must be a {nameof(PaperTable)} value (was {(int)table})"), nameof(table));
}

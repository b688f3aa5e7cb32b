using System.Globalization;
using ScottPlot;

namespace NfmGen.Reports.Plots;

/// <summary>
/// Plots a report as the paper's robustness figures do: accuracy (%) against perturbation level, one panel per
/// perturbation (white noise, salt and pepper, FGSM, PGD, each CIFAR-10-C corruption, the CIFAR-10-C mean), one line
/// per row, under a header strip that holds the report's title and one legend for all panels, both centred.
/// </summary>
internal static class AccuracyCurvePlot
{
    /// <summary>
    /// Saves the curves of <paramref name="report"/> as a PNG. Every line starts at level 0 with the row's clean
    /// accuracy; a row without results for a perturbation has no line in that panel. Rows from the paper
    /// (<see cref="ReportRow.Source"/> "paper") are dashed. The mean over all CIFAR-10-C severities (level 0) is a
    /// table column only. The image is up to 3 panels wide, each <paramref name="panelWidth"/> x
    /// <paramref name="panelHeight"/> pixels, with the header strip above them. Each panel's accuracy axis spans its
    /// own data (<see cref="AccuracyRange"/>), so that curves a few points apart stay apart.
    /// </summary>
    /// <exception cref="ArgumentException">The report has no perturbation column to plot, or a panel size is out of range.</exception>
    public static SavedPlot Save(RobustnessReport report, string path, int panelWidth = 420, int panelHeight = 320)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        PanelGrid.RequirePanelSize(panelWidth, panelHeight);

        var groups = report.Columns()
            .Where(IsPlotted)
            .GroupBy(column => (column.Kind, column.Corruption))
            .ToArray();
        if (groups.Length == 0)
            throw new ArgumentException("report must have a perturbation column to plot (it has only clean accuracies)", nameof(report));

        var palette = new ScottPlot.Palettes.Category10();
        List<Plot> panels = [.. groups.Select(group => Panel(report, group.Key.Kind, group.Key.Corruption, [.. group], palette))];
        var legend = report.Rows.Select((row, r) => PlotHeader.Entry(row.DisplayName, palette.GetColor(r), dashed: row.Source == PaperResults.Source));
        return PanelGrid.SaveUnderHeader(panels, report.Title, [.. legend], panelWidth, panelHeight, path);
    }

    /// <summary>
    /// The accuracy axis (in %) of a panel whose points are <paramref name="accuracies"/> (in %): their range with a
    /// margin of a tenth of it on each side (at least 1 point), never below 0.
    /// </summary>
    /// <exception cref="ArgumentException">No accuracies.</exception>
    public static (double Min, double Max) AccuracyRange(IEnumerable<double> accuracies)
    {
        ArgumentNullException.ThrowIfNull(accuracies);
        var values = accuracies.ToArray();
        if (values.Length == 0)
            throw new ArgumentException("a panel needs at least one accuracy to fit its axis to", nameof(accuracies));
        double low = values.Min(), high = values.Max();
        double margin = Math.Max(1, 0.1 * (high - low));
        return (Math.Max(0, low - margin), high + margin);
    }

    private static Plot Panel(RobustnessReport report, PerturbationKind kind, string? corruption, IReadOnlyList<ReportColumn> columns, IPalette palette)
    {
        var plot = new Plot();
        var accuracies = new List<double>();
        for (int r = 0; r < report.Rows.Count; r++)
        {
            var row = report.Rows[r];
            var points = columns
                .Select(column => (column.Level, Result: row.Find(column)))
                .Where(point => point.Result is not null)
                .Select(point => (X: point.Level, Y: point.Result!.Accuracy * 100))
                .ToList();
            if (points.Count == 0)
                continue;
            points.Insert(0, (0, row.CleanAccuracy * 100));
            accuracies.AddRange(points.Select(p => p.Y));

            var line = plot.Add.Scatter(points.Select(p => p.X).ToArray(), points.Select(p => p.Y).ToArray(), palette.GetColor(r));
            Style(line, row);
        }

        FinishPanel(plot, kind, corruption, columns, accuracies, "accuracy (%)");
        return plot;
    }

    /// <summary>
    /// Whether a column has a point in the plots: the mean over all CIFAR-10-C or ImageNet-C severities (level 0) is a table column only.
    /// </summary>
    internal static bool IsPlotted(ReportColumn column) =>
        !(column.Kind is PerturbationKind.CifarCorruptionMean or PerturbationKind.ImageNetCorruptionMean && column.Level == 0);

    /// <summary>
    /// Gives a panel of <paramref name="kind"/> its axes: a tick at 0 and at each column's level, the level axis with a
    /// margin, the accuracy axis fitted to <paramref name="accuracies"/> (<see cref="AccuracyRange"/>; 0 to 100 when
    /// empty), its title and labels, and the embedded font.
    /// </summary>
    internal static void FinishPanel(Plot plot, PerturbationKind kind, string? corruption, IEnumerable<ReportColumn> columns, IReadOnlyCollection<double> accuracies, string accuracyLabel)
    {
        bool isSeverity = PerturbationResult.IsSeverity(kind);
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        ticks.AddMajor(0, "0");
        double maxLevel = 0;
        foreach (var column in columns)
        {
            ticks.AddMajor(column.Level, isSeverity ? column.Level.ToString(CultureInfo.InvariantCulture) : column.Label);
            maxLevel = Math.Max(maxLevel, column.Level);
        }
        plot.Axes.Bottom.TickGenerator = ticks;

        var (bottom, top) = accuracies.Count > 0 ? AccuracyRange(accuracies) : (0, 100);
        plot.Axes.SetLimits(-0.06 * maxLevel, 1.06 * maxLevel, bottom, top);
        plot.Title(Title(kind, corruption));
        plot.XLabel(AxisLabel(kind));
        plot.YLabel(accuracyLabel);
        PlotFonts.Apply(plot);
    }

    private static void Style(ScottPlot.Plottables.Scatter line, ReportRow row)
    {
        line.LineWidth = 2;
        line.MarkerSize = 6;
        if (row.Source == PaperResults.Source)
            line.LinePattern = LinePattern.Dashed;
    }

    /// <summary>The x axis's label of a panel of <paramref name="kind"/>: "noise level σ", "severity"...</summary>
    internal static string AxisLabel(PerturbationKind kind) => kind switch
    {
        PerturbationKind.WhiteNoise => "noise level σ",
        PerturbationKind.SaltAndPepper => "fraction of pixels γ",
        PerturbationKind.Fgsm or PerturbationKind.Pgd or PerturbationKind.AutoAttack => "budget ε (L∞)",
        PerturbationKind.AutoAttackL2 => "budget ε (L2)",
        PerturbationKind.FeatureDrop => "fraction of features dropped p",
        _ => "severity",
    };

    /// <summary>The title of a panel of <paramref name="kind"/>: "White noise", "CIFAR-10-C: fog"...</summary>
    internal static string Title(PerturbationKind kind, string? corruption) => kind switch
    {
        PerturbationKind.WhiteNoise => "White noise",
        PerturbationKind.SaltAndPepper => "Salt and pepper",
        PerturbationKind.Fgsm => "FGSM",
        PerturbationKind.Pgd => "PGD",
        PerturbationKind.AutoAttack => "AutoAttack (L∞)",
        PerturbationKind.AutoAttackL2 => "AutoAttack (L2)",
        PerturbationKind.FeatureDrop => "Feature drop",
        PerturbationKind.CifarCorruption => "CIFAR-10-C: " + corruption,
        PerturbationKind.CifarCorruptionMean => "CIFAR-10-C mean",
        PerturbationKind.ImageNetCorruption => "ImageNet-C: " + corruption,
        _ => "ImageNet-C mean",
    };
}

using ScottPlot;

namespace NfmGen.Reports.Plots;

/// <summary>
/// Plots a <see cref="SeedAveragedReport"/> as <see cref="AccuracyCurvePlot"/> plots a report: accuracy (%) against
/// perturbation level, one panel per perturbation, one line per row starting at level 0 with the clean accuracy, with
/// an error bar of ± one standard deviation over the seeds at every point that has one. The paper's rows are dashed,
/// without bars. The title and one legend, whose entries give each group's seed count, sit in a strip above the panels;
/// each panel's accuracy axis spans its points and their bars (<see cref="AccuracyCurvePlot.AccuracyRange"/>).
/// </summary>
internal static class SeedAveragedPlot
{
    /// <summary>Saves the plot of <paramref name="report"/> as a PNG, up to 3 panels wide, each <paramref name="panelWidth"/> x <paramref name="panelHeight"/> pixels.</summary>
    /// <exception cref="ArgumentException">The report has no perturbation column to plot, or a panel size is out of range.</exception>
    public static SavedPlot Save(SeedAveragedReport report, string path, int panelWidth = 420, int panelHeight = 320)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        PanelGrid.RequirePanelSize(panelWidth, panelHeight);

        var groups = report.Columns
            .Select((column, index) => (Column: column, Index: index))
            .Where(entry => AccuracyCurvePlot.IsPlotted(entry.Column))
            .GroupBy(entry => (entry.Column.Kind, entry.Column.Corruption))
            .ToArray();
        if (groups.Length == 0)
            throw new ArgumentException("report must have a perturbation column to plot (it has only clean accuracies)", nameof(report));

        var palette = new ScottPlot.Palettes.Category10();
        List<Plot> panels = [.. groups.Select(group => Panel(report, group.Key.Kind, group.Key.Corruption, [.. group], palette))];
        var legend = report.Rows.Select((row, r) => PlotHeader.Entry(
            row.Seeds is { } seeds ? $"{row.DisplayName} ({seeds.Describe()})" : row.DisplayName, palette.GetColor(r), dashed: row.Source is not null));
        return PanelGrid.SaveUnderHeader(panels, report.Title, [.. legend], panelWidth, panelHeight, path);
    }

    private static Plot Panel(SeedAveragedReport report, PerturbationKind kind, string? corruption, IReadOnlyList<(ReportColumn Column, int Index)> columns, IPalette palette)
    {
        var plot = new Plot();
        var extremes = new List<double>();
        for (int r = 0; r < report.Rows.Count; r++)
        {
            var row = report.Rows[r];
            var points = columns
                .Where(entry => row.Results[entry.Index] is not null)
                .Select(entry => (X: entry.Column.Level, Cell: row.Results[entry.Index]!.Value))
                .ToList();
            if (points.Count == 0 || row.Clean is not { } clean)
                continue;
            points.Insert(0, (0, clean));

            var color = palette.GetColor(r);
            double[] xs = [.. points.Select(point => point.X)];
            double[] ys = [.. points.Select(point => point.Cell.Mean * 100)];
            foreach (var point in points)
            {
                var spread = (point.Cell.StandardDeviation ?? 0) * 100;
                extremes.AddRange([point.Cell.Mean * 100 - spread, point.Cell.Mean * 100 + spread]);
            }
            var line = plot.Add.Scatter(xs, ys, color);
            line.LineWidth = 2;
            line.MarkerSize = 6;
            if (row.Source is not null)
                line.LinePattern = LinePattern.Dashed;
            if (points.Any(point => point.Cell.StandardDeviation is not null))
            {
                var bars = plot.Add.ErrorBar(xs, ys, [.. points.Select(point => (point.Cell.StandardDeviation ?? 0) * 100)]);
                bars.Color = color;
                bars.LineWidth = 1.5f;
            }
        }

        AccuracyCurvePlot.FinishPanel(plot, kind, corruption, columns.Select(entry => entry.Column), extremes, "accuracy (%), mean ± std");
        return plot;
    }
}

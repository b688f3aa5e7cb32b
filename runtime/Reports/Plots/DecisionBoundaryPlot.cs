using ScottPlot;
using static System.FormattableString;

namespace NfmGen.Reports.Plots;

/// <summary>
/// Plots the decision boundaries of binary classifiers of 2-D points, as the paper's toy figure does: per model a panel
/// titled "scheme (test accuracy)", shaded by the predicted probability of class 1 (blue for class 0, red for class 1,
/// white at 0.5) over a grid covering the data, with the data points on top.
/// </summary>
internal static class DecisionBoundaryPlot
{
    private const double Margin = 0.1;

    private static readonly Color Class0 = Color.FromHex("#1f77b4");
    private static readonly Color Class1 = Color.FromHex("#d62728");

    /// <summary>Saves one panel per model, up to 3 per row, as a PNG.</summary>
    /// <param name="models">The classifiers, in panel order.</param>
    /// <param name="points">The data points, [N, 2]: one (x, y) per row; the grid covers them with a 10% margin.</param>
    /// <param name="labels">The N class labels, 0 or 1.</param>
    /// <param name="path">The PNG file to write; its folder is created if needed.</param>
    /// <param name="panelWidth">The width of one panel in pixels.</param>
    /// <param name="panelHeight">The height of one panel in pixels.</param>
    /// <param name="resolution">The grid's cells per axis; each model is asked for resolution² predictions, once.</param>
    /// <exception cref="ArgumentException">An argument is out of range; the message names it.</exception>
    /// <exception cref="InvalidOperationException">A classifier returned the wrong number of values, or values outside [0, 1].</exception>
    public static SavedPlot Save(
        IReadOnlyList<DecisionBoundaryModel> models, float[,] points, IReadOnlyList<int> labels, string path,
        int panelWidth = 360, int panelHeight = 340, int resolution = 120)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (models.Count == 0)
            throw new ArgumentException("models must hold at least one model (was empty)", nameof(models));
        RequireData(points, labels);
        PanelGrid.RequirePanelSize(panelWidth, panelHeight);
        if (resolution is < 8 or > 1000)
            throw new ArgumentException(Invariant($"resolution must be 8 to 1000 cells per axis (was {resolution})"), nameof(resolution));

        var area = Area(points);
        float[,] grid = Grid(area, resolution);
        var panels = models.Select(model => Panel(model, area, grid, resolution, points, labels)).ToArray();
        return PanelGrid.SavePng(panels, Math.Min(PanelGrid.MaxColumns, panels.Length), panelWidth, panelHeight, path);
    }

    private static Plot Panel(DecisionBoundaryModel model, CoordinateRect area, float[,] grid, int resolution, float[,] points, IReadOnlyList<int> labels)
    {
        float[] probability = model.PredictClass1(grid);
        RequirePredictions(model, probability, grid.GetLength(0));

        // Heatmap rows run from the top of the plot down, so grid row 0 (the lowest y) is the last heatmap row.
        var intensities = new double[resolution, resolution];
        for (int row = 0; row < resolution; row++)
        {
            for (int column = 0; column < resolution; column++)
                intensities[resolution - 1 - row, column] = probability[row * resolution + column];
        }

        var plot = new Plot();
        var shading = plot.Add.Heatmap(intensities);
        shading.Extent = area;
        shading.ManualRange = new ScottPlot.Range(0, 1);
        shading.Colormap = new ScottPlot.Colormaps.CustomInterpolated([Color.FromHex("#9ecae1"), Colors.White, Color.FromHex("#fcae91")]);
        shading.Smooth = true;

        AddPoints(plot, points, labels, 0, Class0);
        AddPoints(plot, points, labels, 1, Class1);

        plot.Axes.SetLimits(area);
        plot.Title(Invariant($"{model.Title} ({model.TestAccuracy * 100:0.0}%)"));
        plot.XLabel("x₁");
        plot.YLabel("x₂");
        PlotFonts.Apply(plot);
        return plot;
    }

    private static void AddPoints(Plot plot, float[,] points, IReadOnlyList<int> labels, int label, Color color)
    {
        var indices = Enumerable.Range(0, labels.Count).Where(i => labels[i] == label).ToArray();
        if (indices.Length == 0)
            return;
        var markers = plot.Add.ScatterPoints(
            indices.Select(i => (double)points[i, 0]).ToArray(), indices.Select(i => (double)points[i, 1]).ToArray(), color);
        markers.MarkerShape = MarkerShape.FilledCircle;
        markers.MarkerSize = 5;
        markers.MarkerLineColor = Colors.White;
        markers.MarkerLineWidth = 0.75f;
    }

    /// <summary>The rectangle around the points, widened by <see cref="Margin"/> of its size (or by 1 where it has none).</summary>
    private static CoordinateRect Area(float[,] points)
    {
        static (double Low, double High) Span(float[,] points, int axis)
        {
            double low = double.PositiveInfinity, high = double.NegativeInfinity;
            for (int i = 0; i < points.GetLength(0); i++)
            {
                low = Math.Min(low, points[i, axis]);
                high = Math.Max(high, points[i, axis]);
            }
            double pad = high > low ? Margin * (high - low) : 1;
            return (low - pad, high + pad);
        }

        var (left, right) = Span(points, 0);
        var (bottom, top) = Span(points, 1);
        return new CoordinateRect(left, right, bottom, top);
    }

    /// <summary>The centres of resolution x resolution cells over <paramref name="area"/>, row by row from the bottom, as [resolution², 2].</summary>
    private static float[,] Grid(CoordinateRect area, int resolution)
    {
        var grid = new float[resolution * resolution, 2];
        double cellWidth = area.Width / resolution, cellHeight = area.Height / resolution;
        for (int row = 0; row < resolution; row++)
        {
            for (int column = 0; column < resolution; column++)
            {
                grid[row * resolution + column, 0] = (float)(area.Left + (column + 0.5) * cellWidth);
                grid[row * resolution + column, 1] = (float)(area.Bottom + (row + 0.5) * cellHeight);
            }
        }
        return grid;
    }

    private static void RequireData(float[,] points, IReadOnlyList<int> labels)
    {
        if (points.GetLength(1) != 2 || points.GetLength(0) == 0)
            throw new ArgumentException(Invariant($"points must be [N, 2] with N >= 1 (was [{points.GetLength(0)}, {points.GetLength(1)}])"), nameof(points));
        if (labels.Count != points.GetLength(0))
            throw new ArgumentException(Invariant($"labels must have one label per point, {points.GetLength(0)} (was {labels.Count})"), nameof(labels));
        for (int i = 0; i < points.GetLength(0); i++)
        {
            if (!float.IsFinite(points[i, 0]) || !float.IsFinite(points[i, 1]))
                throw new ArgumentException(Invariant($"points must be finite (point {i} was ({points[i, 0]}, {points[i, 1]}))"), nameof(points));
            if (labels[i] is not (0 or 1))
                throw new ArgumentException(Invariant($"labels must be 0 or 1 (label {i} was {labels[i]})"), nameof(labels));
        }
    }

    private static void RequirePredictions(DecisionBoundaryModel model, float[] probability, int count)
    {
        if (probability is null || probability.Length != count)
            throw new InvalidOperationException(Invariant($"the classifier of \"{model.Title}\" must return one value per grid point, {count} (was {probability?.Length})"));
        int bad = Array.FindIndex(probability, p => !(p >= 0 && p <= 1));
        if (bad >= 0)
            throw new InvalidOperationException(Invariant($"the classifier of \"{model.Title}\" must return values in [0, 1] (value {bad} was {probability[bad]})"));
    }
}

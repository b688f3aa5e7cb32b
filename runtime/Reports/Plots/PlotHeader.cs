using ScottPlot;

namespace NfmGen.Reports.Plots;

/// <summary>
/// The strip above a grid of panels: a title centred over the whole image and under it one horizontal legend for all
/// panels, so that no panel gives its width to a legend.
/// </summary>
internal static class PlotHeader
{
    private const int TitleHeight = 34;
    private const int LegendLineHeight = 22;

    /// <summary>The strip for <paramref name="title"/> and <paramref name="entries"/> over an image <paramref name="width"/> pixels wide, and its height, which fits the legend's lines.</summary>
    public static (Plot Header, int Height) Create(string title, IReadOnlyList<LegendItem> entries, int width)
    {
        var plot = new Plot();
        plot.HideAxesAndGrid();
        if (title.Length > 0)
            plot.Title(title);
        plot.Legend.ManualItems.AddRange(entries);
        plot.ShowLegend(Alignment.UpperCenter, Orientation.Horizontal);
        StyleLegend(plot);

        // A horizontal legend wraps into columns as wide as its widest entry: as many lines as that layout needs.
        int widest = entries.Count == 0 ? 1 : entries.Max(MeasureLegend);
        int columns = Math.Max(1, (int)(0.9 * width) / Math.Max(1, widest));
        int lines = (entries.Count + columns - 1) / columns;
        int height = (title.Length > 0 ? TitleHeight : 0) + lines * LegendLineHeight + 14;
        return (plot, height);
    }

    /// <summary>A legend entry: a line of <paramref name="color"/> with a marker, dashed for the paper's rows.</summary>
    public static LegendItem Entry(string label, Color color, bool dashed)
    {
        var entry = new LegendItem { LabelText = label, LineColor = color, LineWidth = 2 };
        entry.MarkerStyle = new MarkerStyle(MarkerShape.FilledCircle, 6, color);
        if (dashed)
            entry.LinePattern = LinePattern.Dashed;
        return entry;
    }

    private static void StyleLegend(Plot plot)
    {
        // Long enough symbols to tell the paper's dashed lines from solid ones.
        plot.Legend.SymbolWidth = 30;
        plot.Legend.OutlineWidth = 0;
        plot.Legend.ShadowOffset = new PixelOffset(0, 0);
        PlotFonts.Apply(plot);
    }

    /// <summary>The width in pixels of a legend that holds only <paramref name="entry"/>.</summary>
    private static int MeasureLegend(LegendItem entry)
    {
        var plot = new Plot();
        plot.Legend.ManualItems.Add(entry);
        StyleLegend(plot);
        return plot.Legend.GetImage().Width;
    }
}

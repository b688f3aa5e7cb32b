using ScottPlot;
using SkiaSharp;
using static System.FormattableString;

namespace NfmGen.Reports.Plots;

/// <summary>Lays plots out in a grid of equal panels, row by row, under an optional full-width header, and saves them as one PNG.</summary>
internal static class PanelGrid
{
    /// <summary>The most panels in one row.</summary>
    public const int MaxColumns = 3;

    /// <summary>Saves <paramref name="panels"/>, up to <see cref="MaxColumns"/> a row, under a strip with the title and one legend.</summary>
    public static SavedPlot SaveUnderHeader(
        IReadOnlyList<Plot> panels, string title, IReadOnlyList<LegendItem> legend, int panelWidth, int panelHeight, string path)
    {
        int columns = Math.Min(MaxColumns, panels.Count);
        var (header, headerHeight) = PlotHeader.Create(title, legend, columns * panelWidth);
        return SavePng(panels, columns, panelWidth, panelHeight, path, header, headerHeight);
    }

    // header: a plot drawn across the whole width above the panels (a title, a legend), headerHeight pixels high; or null.
    public static SavedPlot SavePng(
        IReadOnlyList<Plot> panels, int columns, int panelWidth, int panelHeight, string path, Plot? header = null, int headerHeight = 0)
    {
        int rows = (panels.Count + columns - 1) / columns;
        if (header is null)
            headerHeight = 0;
        int width = columns * panelWidth, height = headerHeight + rows * panelHeight;

        var figure = new Multiplot(panels[0]);
        foreach (var panel in panels.Skip(1))
            figure.AddPlot(panel);
        figure.Layout = new ScottPlot.MultiplotLayouts.Grid(rows, columns);

        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
            Directory.CreateDirectory(folder);
        // Each part on a surface of its own (ScottPlot clears the whole canvas it renders on), then both on one image.
        using var grid = Surface(width, height - headerHeight, path);
        figure.Render(grid);
        using var surface = Surface(width, height, path);
        surface.Canvas.Clear(SKColors.White);
        if (header is not null)
        {
            using var top = Surface(width, headerHeight, path);
            header.Render(top);
            using var topImage = top.Snapshot();
            surface.Canvas.DrawImage(topImage, 0, 0);
        }
        using (var gridImage = grid.Snapshot())
            surface.Canvas.DrawImage(gridImage, 0, headerHeight);
        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        Training.AtomicFile.Write(path, png.SaveTo);
        return new SavedPlot(path, width, height);
    }

    private static SKSurface Surface(int width, int height, string path) =>
        SKSurface.Create(new SKImageInfo(width, height))
            ?? throw new InvalidOperationException(Invariant($"could not create a {width}x{height} drawing surface for {path}"));

    public static void RequirePanelSize(int panelWidth, int panelHeight)
    {
        if (panelWidth is < 100 or > 4000)
            throw new ArgumentException(Invariant($"panelWidth must be 100 to 4000 pixels (was {panelWidth})"), nameof(panelWidth));
        if (panelHeight is < 100 or > 4000)
            throw new ArgumentException(Invariant($"panelHeight must be 100 to 4000 pixels (was {panelHeight})"), nameof(panelHeight));
    }
}

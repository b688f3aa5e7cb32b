using ScottPlot;
using static System.FormattableString;

namespace NfmGen.Reports;

/// <summary>Lays plots out in a grid of equal panels, row by row, and saves them as one PNG.</summary>
internal static class PanelGrid
{
    public static SavedPlot SavePng(IReadOnlyList<Plot> panels, int columns, int panelWidth, int panelHeight, string path)
    {
        int rows = (panels.Count + columns - 1) / columns;
        int width = columns * panelWidth, height = rows * panelHeight;

        var figure = new Multiplot(panels[0]);
        foreach (var panel in panels.Skip(1))
            figure.AddPlot(panel);
        figure.Layout = new ScottPlot.MultiplotLayouts.Grid(rows, columns);

        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
            Directory.CreateDirectory(folder);
        figure.SavePng(path, width, height);
        return new SavedPlot(path, width, height);
    }

    public static void RequirePanelSize(int panelWidth, int panelHeight)
    {
        if (panelWidth is < 100 or > 4000)
            throw new ArgumentException(Invariant($"panelWidth must be 100 to 4000 pixels (was {panelWidth})"), nameof(panelWidth));
        if (panelHeight is < 100 or > 4000)
            throw new ArgumentException(Invariant($"panelHeight must be 100 to 4000 pixels (was {panelHeight})"), nameof(panelHeight));
    }
}

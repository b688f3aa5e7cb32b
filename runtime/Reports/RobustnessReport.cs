using System.Text.Json.Serialization;
using static System.FormattableString;

namespace NfmGen.Reports;

/// <summary>
/// A robustness table in the layout of the NFM paper's Tables 1-3: one row per model or scheme, a clean-accuracy column,
/// then one column per perturbation level. Render it (<see cref="Render"/>), save and load it as JSON
/// (<see cref="Save"/>, <see cref="Load"/>), plot it (<see cref="SavePlot"/>). Two reports are equal when their values are.
/// </summary>
public sealed record RobustnessReport
{
    /// <summary>Creates a report.</summary>
    /// <param name="title">What was evaluated, e.g. "CIFAR-10, PreActResNet-18"; may be empty.</param>
    /// <param name="rows">The rows, in display order.</param>
    [JsonConstructor]
    public RobustnessReport(string title, IReadOnlyList<ReportRow> rows)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(rows);
        for (int i = 0; i < rows.Count; i++)
            ArgumentNullException.ThrowIfNull(rows[i], Invariant($"{nameof(rows)}[{i}]"));
        Title = title;
        Rows = rows.ToArray();
    }

    /// <summary>What was evaluated, e.g. "CIFAR-10, PreActResNet-18"; may be empty.</summary>
    public string Title { get; }

    /// <summary>The rows, in display order.</summary>
    public IReadOnlyList<ReportRow> Rows { get; }

    /// <summary>
    /// The perturbation columns: the union of the rows' (kind, corruption, level), ordered by
    /// <see cref="PerturbationKind"/>, then CIFAR-10-C corruption (<see cref="CifarCorruptions.Names"/>), then level.
    /// </summary>
    internal IReadOnlyList<ReportColumn> Columns() => ReportColumn.Of(Rows);

    /// <summary>
    /// This report with <paramref name="rows"/> appended, e.g. the paper's numbers:
    /// <c>nfm compare --paper</c>'s, or the rows of other runs, each
    /// tagged with <c>row with { Source = folder }</c>.
    /// </summary>
    public RobustnessReport WithRows(IEnumerable<ReportRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return new RobustnessReport(Title, [.. Rows, .. rows]);
    }

    /// <summary>The report as text, Markdown or CSV.</summary>
    public string Render(ReportFormat format) => ReportRenderer.Render(this, format);

    /// <summary>Writes the report as JSON (UTF-8) to <paramref name="path"/>, atomically, creating its folder if needed.</summary>
    public void Save(string path) => ReportJson.Save(this, path);

    /// <summary>Reads the report that <see cref="Save"/> wrote to <paramref name="path"/>.</summary>
    /// <exception cref="System.Text.Json.JsonException">The file is not a report, or holds values out of range; the message names the file, then the problem.</exception>
    public static RobustnessReport Load(string path) => ReportJson.Load(path);

    /// <summary>
    /// Saves accuracy against perturbation level as a PNG at <paramref name="path"/>, one panel per perturbation, one
    /// line per row (the paper's dashed); returns the file's path.
    /// </summary>
    /// <exception cref="ArgumentException">The report has no perturbation column to plot.</exception>
    public string SavePlot(string path) => Plots.AccuracyCurvePlot.Save(this, path).Path;

    /// <inheritdoc/>
    public bool Equals(RobustnessReport? other) =>
        other is not null && Title == other.Title && Rows.SequenceEqual(other.Rows);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Title, Rows.Count);
}

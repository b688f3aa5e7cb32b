namespace NfmGen.Reports;

/// <summary>
/// A robustness table of a sweep in the paper's layout, each cell the mean ± standard deviation over seeds: one row per
/// group of runs that differ only in their seed (and optionally the paper's rows), the clean accuracy, then one column
/// per perturbation level that every run was evaluated at. Render it with <see cref="SeedAveragedRenderer"/>, plot it
/// with <see cref="Plots.SeedAveragedPlot"/>.
/// </summary>
/// <param name="Title">What was swept, e.g. "PreActResNet18 on cifar10"; may be empty.</param>
/// <param name="Columns">The perturbation columns, in report order (<see cref="RobustnessReport.Columns"/>'s).</param>
/// <param name="Rows">The rows, in display order.</param>
/// <param name="Notes">What a reader must know that the table does not show: columns left out, reports that could not be read.</param>
internal sealed record SeedAveragedReport(string Title, IReadOnlyList<ReportColumn> Columns, IReadOnlyList<SeedAveragedRow> Rows, IReadOnlyList<string> Notes)
{
    /// <inheritdoc/>
    public bool Equals(SeedAveragedReport? other) =>
        other is not null && Title == other.Title && Columns.SequenceEqual(other.Columns) && Rows.SequenceEqual(other.Rows) && Notes.SequenceEqual(other.Notes);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Title, Columns.Count, Rows.Count);
}

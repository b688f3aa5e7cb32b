using System.Globalization;

namespace NfmGen.Reports;

/// <summary>
/// A report laid out as the paper's tables, ready to print: the header cells, then per row the display name and one
/// cell per column (clean first), each with its percent text and whether it is the column's best.
/// </summary>
internal sealed class ReportTable
{
    /// <summary>What a row shows in place of a result it does not have.</summary>
    public const string Missing = "-";

    private ReportTable(IReadOnlyList<string> headers, IReadOnlyList<TableRow> rows)
    {
        Headers = headers;
        Rows = rows;
    }

    /// <summary>"Clean", then each perturbation column's header.</summary>
    public IReadOnlyList<string> Headers { get; }

    public IReadOnlyList<TableRow> Rows { get; }

    public static ReportTable Of(RobustnessReport report)
    {
        var columns = report.Columns();
        string[] headers = ["Clean", .. columns.Select(column => column.Header)];

        // Tenths of a percent, as shown: the best is judged on what the reader sees, so display ties are all marked.
        int?[][] tenths = report.Rows
            .Select(row => new int?[] { Tenths(row.CleanAccuracy) }
                .Concat(columns.Select(column => row.Find(column) is { } result ? Tenths(result.Accuracy) : (int?)null))
                .ToArray())
            .ToArray();
        int?[] best = Enumerable.Range(0, headers.Length)
            .Select(c => tenths.Select(row => row[c]).Max())
            .ToArray();

        var rows = report.Rows
            .Select((row, r) => new TableRow(
                row,
                tenths[r].Select((value, c) => value is { } v ? new TableCell(Percent(v), v == best[c]) : new TableCell(Missing, false)).ToArray()))
            .ToArray();
        return new ReportTable(headers, rows);
    }

    /// <summary>An accuracy in [0, 1] as whole tenths of a percent, halves rounded away from zero: 0.9545 is 955.</summary>
    private static int Tenths(double accuracy) => (int)Math.Round(accuracy * 1000, MidpointRounding.AwayFromZero);

    /// <summary>Tenths of a percent as the paper prints them: 954 is "95.4".</summary>
    private static string Percent(int tenths) => (tenths / 10.0).ToString("0.0", CultureInfo.InvariantCulture);
}

/// <param name="Source">The report row.</param>
/// <param name="Cells">Clean first, then one per perturbation column.</param>
internal sealed record TableRow(ReportRow Source, IReadOnlyList<TableCell> Cells);

/// <param name="Text">"95.4", or <see cref="ReportTable.Missing"/>.</param>
/// <param name="IsBest">Whether no other row shows a higher value in this column.</param>
internal sealed record TableCell(string Text, bool IsBest);

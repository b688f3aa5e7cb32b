using System.Globalization;

namespace NfmGen.Reports;

/// <summary>
/// The ImageNet-C corruption errors of a report's rows, laid out for printing below the accuracy table: per row mCE,
/// relative mCE and each complete corruption's CE, as percentages of AlexNet's (AlexNet = 100, lower is better), and
/// a note for each row whose mCE is not over all 15 corruptions.
/// </summary>
internal sealed class CorruptionErrorTable
{
    /// <summary>The table's caption.</summary>
    public const string Title = "ImageNet-C corruption error (% of AlexNet's; lower is better)";

    private CorruptionErrorTable(IReadOnlyList<string> headers, IReadOnlyList<(string Name, string[] Cells)> rows, IReadOnlyList<string> notes)
    {
        Headers = headers;
        Rows = rows;
        Notes = notes;
    }

    /// <summary>"mCE", "Relative mCE", then each corruption that some row has a CE for, in benchmark order.</summary>
    public IReadOnlyList<string> Headers { get; }

    /// <summary>Per row with ImageNet-C results: its display name and one cell per header ("-" where it has no value).</summary>
    public IReadOnlyList<(string Name, string[] Cells)> Rows { get; }

    /// <summary>"Name: note" for each row whose mCE is partial.</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>The table of <paramref name="report"/>'s rows that have ImageNet-C results; null when none has.</summary>
    public static CorruptionErrorTable? Of(RobustnessReport report)
    {
        var errors = report.Rows
            .Select(row => (Row: row, Errors: ImageNetCorruptionErrors.Of(row)))
            .Where(pair => pair.Errors is not null)
            .Select(pair => (pair.Row, Errors: pair.Errors!))
            .ToArray();
        if (errors.Length == 0)
            return null;

        var corruptions = ImageNetCorruptions.Benchmark
            .Where(name => errors.Any(pair => pair.Errors.Corruptions.Any(c => c.Corruption == name)))
            .ToArray();
        string[] headers = ["mCE", "Relative mCE", .. corruptions];
        var rows = errors
            .Select(pair => (pair.Row.DisplayName, (string[])
            [
                Percent(pair.Errors.MeanCorruptionError),
                Percent(pair.Errors.RelativeMeanCorruptionError),
                .. corruptions.Select(name => Percent(pair.Errors.Corruptions.FirstOrDefault(c => c.Corruption == name)?.Ce)),
            ]))
            .ToArray();
        var notes = errors.Where(pair => pair.Errors.Note is not null).Select(pair => $"{pair.Row.DisplayName}: {pair.Errors.Note}").ToArray();
        return new CorruptionErrorTable(headers, rows, notes);
    }

    /// <summary>A fraction of AlexNet's error as the paper prints it: 0.767 is "76.7"; null is <see cref="ReportTable.Missing"/>.</summary>
    public static string Percent(double? fraction) =>
        fraction is { } value ? Math.Round(value * 100, 1, MidpointRounding.AwayFromZero).ToString("0.0", CultureInfo.InvariantCulture) : ReportTable.Missing;
}

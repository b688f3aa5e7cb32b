using System.Globalization;
using System.Text;
using static System.FormattableString;

namespace NfmGen.Reports;

/// <summary>
/// Writes a <see cref="RobustnessReport"/> as the paper's Tables 1-3 do: one row per scheme, the clean accuracy, then
/// one column per perturbation level (<see cref="RobustnessReport.Columns"/>). Accuracies are percentages with one
/// decimal ("95.4"); a row without a result in a column shows "-" (an empty field in CSV). Lines end with '\n'.
/// Rows with ImageNet-C results also get their corruption errors (<see cref="ImageNetCorruptionErrors"/>): a second
/// table in text and Markdown, and mCE and relative mCE columns in CSV.
/// </summary>
internal static class ReportRenderer
{
    private const string NameHeader = "Scheme";
    private const string ColumnGap = "  ";
    private const char BestMark = '*';

    /// <summary>Renders <paramref name="report"/> in <paramref name="format"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="format"/> is not a <see cref="ReportFormat"/> value.</exception>
    public static string Render(RobustnessReport report, ReportFormat format)
    {
        ArgumentNullException.ThrowIfNull(report);
        return format switch
        {
            ReportFormat.Text => Text(report),
            ReportFormat.Markdown => Markdown(report),
            ReportFormat.Csv => Csv(report),
            ReportFormat.Json => ReportJson.Serialize(report),
            _ => throw new ArgumentException(Invariant($"format must be a {nameof(ReportFormat)} value (was {(int)format})"), nameof(format)),
        };
    }

    /// <summary>The title, an aligned table whose best values carry a trailing '*', and a footnote saying so.</summary>
    private static string Text(RobustnessReport report)
    {
        var table = ReportTable.Of(report);
        // Every value cell keeps one place for the mark, headers too, so digits line up whether marked or not.
        string[] header = [NameHeader, .. table.Headers.Select(h => h + " ")];
        string[][] body = table.Rows
            .Select(row => (string[])[row.Source.DisplayName, .. row.Cells.Select(cell => cell.Text + (cell.IsBest ? BestMark : ' '))])
            .ToArray();

        var text = new StringBuilder();
        if (report.Title.Length > 0)
            text.Append(report.Title).Append('\n');
        AppendAligned(text, header, body);
        text.Append(BestMark).Append(" best in column\n");
        if (CorruptionErrorTable.Of(report) is { } errors)
        {
            text.Append('\n').Append(CorruptionErrorTable.Title).Append('\n');
            AppendAligned(text, [NameHeader, .. errors.Headers], errors.Rows.Select(row => (string[])[row.Name, .. row.Cells]).ToArray());
            foreach (var note in errors.Notes)
                text.Append("note: ").Append(note).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>A header line, a rule and the body, the first column left-aligned and the others right-aligned.</summary>
    private static void AppendAligned(StringBuilder text, string[] header, string[][] body)
    {
        int[] widths = header
            .Select((h, c) => body.Select(row => row[c].Length).Append(h.Length).Max())
            .ToArray();

        string Line(IReadOnlyList<string> cells) => string.Join(ColumnGap, cells.Select((cell, c) =>
            c == 0 ? cell.PadRight(widths[0]) : cell.PadLeft(widths[c]))).TrimEnd();

        text.Append(Line(header)).Append('\n');
        text.Append(Line(widths.Select(w => new string('-', w)).ToArray())).Append('\n');
        foreach (var row in body)
            text.Append(Line(row)).Append('\n');
    }

    /// <summary>The title in bold (when there is one), a blank line, and a table with right-aligned values, the best in bold.</summary>
    private static string Markdown(RobustnessReport report)
    {
        var table = ReportTable.Of(report);
        static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);
        static string Line(IEnumerable<string> cells) => "| " + string.Join(" | ", cells) + " |\n";

        var text = new StringBuilder();
        if (report.Title.Length > 0)
            text.Append("**").Append(Escape(report.Title)).Append("**\n\n");
        text.Append(Line([NameHeader, .. table.Headers.Select(Escape)]));
        text.Append(Line([":---", .. table.Headers.Select(_ => "---:")]));
        foreach (var row in table.Rows)
            text.Append(Line([Escape(row.Source.DisplayName), .. row.Cells.Select(cell => cell.IsBest ? $"**{cell.Text}**" : cell.Text)]));
        if (CorruptionErrorTable.Of(report) is { } errors)
        {
            text.Append("\n**").Append(Escape(CorruptionErrorTable.Title)).Append("**\n\n");
            text.Append(Line([NameHeader, .. errors.Headers.Select(Escape)]));
            text.Append(Line([":---", .. errors.Headers.Select(_ => "---:")]));
            foreach (var (name, cells) in errors.Rows)
                text.Append(Line([Escape(name), .. cells]));
            if (errors.Notes.Count > 0)
                text.Append('\n');
            foreach (var note in errors.Notes)
                text.Append("Note: ").Append(Escape(note)).Append("\n\n");
        }
        return text.ToString();
    }

    // The attacks of a column's cascade, in order, as its rows name them.
    private static IEnumerable<string> StageNames(RobustnessReport report, ReportColumn column) =>
        report.Rows.Select(row => row.Find(column)?.Stages).OfType<IReadOnlyList<AttackStage>>()
            .SelectMany(stages => stages.Select(stage => stage.Attack)).Distinct();

    /// <summary>
    /// A header row (Scheme, Source, Clean, columns, the accuracy after each attack of an AutoAttack column, and mCE and
    /// Relative mCE when a row has ImageNet-C results), then one line per row; no title, no marks, missing values empty.
    /// </summary>
    private static string Csv(RobustnessReport report)
    {
        var table = ReportTable.Of(report);
        bool imageNetC = CorruptionErrorTable.Of(report) is not null;
        string[] ErrorFields(ReportRow row)
        {
            if (!imageNetC)
                return [];
            var errors = ImageNetCorruptionErrors.Of(row);
            return [ErrorPercent(errors?.MeanCorruptionError), ErrorPercent(errors?.RelativeMeanCorruptionError)];
        }
        static string ErrorPercent(double? fraction) => fraction is null ? "" : CorruptionErrorTable.Percent(fraction);
        static string Field(string value) =>
            value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
        static string Line(IEnumerable<string> fields) => string.Join(",", fields.Select(Field)) + "\n";

        // AutoAttack's columns are followed by the accuracy after each of its attacks ("AA-fast 8/255 after apgd-ce").
        var stageColumns = report.Columns()
            .SelectMany(column => StageNames(report, column).Select(attack => (Column: column, Attack: attack)))
            .ToArray();
        string StageField(ReportRow row, (ReportColumn Column, string Attack) stage) =>
            row.Find(stage.Column)?.Stages?.FirstOrDefault(each => each.Attack == stage.Attack) is { } found
                ? (found.Accuracy * 100).ToString("0.0", CultureInfo.InvariantCulture)
                : "";

        var text = new StringBuilder();
        text.Append(Line([NameHeader, "Source", .. table.Headers, .. stageColumns.Select(stage => $"{stage.Column.Header} after {stage.Attack}"),
            .. imageNetC ? (string[])["mCE", "Relative mCE"] : []]));
        foreach (var row in table.Rows)
        {
            text.Append(Line([row.Source.Name, row.Source.Source ?? "",
                .. row.Cells.Select(cell => cell.Text == ReportTable.Missing ? "" : cell.Text),
                .. stageColumns.Select(stage => StageField(row.Source, stage)), .. ErrorFields(row.Source)]));
        }
        return text.ToString();
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using NfmGen.Randomness;
using static System.FormattableString;

namespace NfmGen.Reports;

/// <summary>
/// Writes a <see cref="SeedAveragedReport"/> in the paper's layout: one row per group, the clean accuracy, then one
/// column per perturbation level, each cell "mean ± std" in percent with one decimal ("95.4 ± 0.3"), and the group's
/// seed count ("n=5", or "n=3 of 5, 1 failed, 1 pending" for an incomplete group). The standard deviation is the sample
/// one (n − 1); for one seed it is unknown and shown "n/a" ("95.4 ± n/a"). The paper's rows show their printed value
/// alone. Text and Markdown mark each column's best mean; CSV gives mean and std in separate fields (percent, two
/// decimals); JSON gives fractions in [0, 1] at full precision, a missing std as null.
/// </summary>
internal static class SeedAveragedRenderer
{
    /// <summary>What the text and Markdown tables say under themselves, so that a reader knows what ± means.</summary>
    public const string Legend = "Accuracy in %: mean ± sample standard deviation (n − 1) over each group's finished seeds; n/a: one seed, no spread.";

    private const string NameHeader = "Group";
    private const string SeedsHeader = "Seeds";
    private const string Missing = "-";
    private const string Unknown = "n/a";

    /// <summary>Renders <paramref name="report"/> in <paramref name="format"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="format"/> is not a <see cref="ReportFormat"/> value.</exception>
    public static string Render(SeedAveragedReport report, ReportFormat format)
    {
        ArgumentNullException.ThrowIfNull(report);
        return format switch
        {
            ReportFormat.Text => Text(report),
            ReportFormat.Markdown => Markdown(report),
            ReportFormat.Csv => Csv(report),
            ReportFormat.Json => Json(report),
            _ => throw new ArgumentException(Invariant($"format must be a {nameof(ReportFormat)} value (was {(int)format})"), nameof(format)),
        };
    }

    private static string Text(SeedAveragedReport report)
    {
        string[] header = [NameHeader, .. Headers(report).Select(h => h + " "), SeedsHeader];
        string[][] body = report.Rows
            .Select(row => (string[])[row.DisplayName, .. Cells(report, row).Select(cell => cell.Text + (cell.IsBest ? "*" : " ")), SeedsText(row)])
            .ToArray();
        int[] widths = header.Select((h, c) => body.Select(row => row[c].Length).Append(h.Length).Max()).ToArray();
        string Line(IReadOnlyList<string> cells) => string.Join("  ", cells.Select((cell, c) =>
            c == 0 || c == cells.Count - 1 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))).TrimEnd();

        var text = new StringBuilder();
        if (report.Title.Length > 0)
            text.Append(report.Title).Append('\n');
        text.Append(Line(header)).Append('\n');
        text.Append(Line(widths.Select(w => new string('-', w)).ToArray())).Append('\n');
        foreach (var row in body)
            text.Append(Line(row)).Append('\n');
        text.Append(Legend).Append(" * best mean in column.\n");
        foreach (var note in report.Notes)
            text.Append("Note: ").Append(note).Append('\n');
        return text.ToString();
    }

    private static string Markdown(SeedAveragedReport report)
    {
        static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);
        static string Line(IEnumerable<string> cells) => "| " + string.Join(" | ", cells) + " |\n";

        var text = new StringBuilder();
        if (report.Title.Length > 0)
            text.Append("**").Append(Escape(report.Title)).Append("**\n\n");
        text.Append(Line([NameHeader, .. Headers(report).Select(Escape), SeedsHeader]));
        text.Append(Line([":---", .. Headers(report).Select(_ => "---:"), ":---"]));
        foreach (var row in report.Rows)
            text.Append(Line([Escape(row.DisplayName), .. Cells(report, row).Select(cell => cell.IsBest ? $"**{cell.Text}**" : cell.Text), Escape(SeedsText(row))]));
        text.Append('\n').Append(Legend).Append(" Bold: best mean in column.\n");
        foreach (var note in report.Notes)
            text.Append("\nNote: ").Append(Escape(note)).Append('\n');
        return text.ToString();
    }

    /// <summary>Group, Source, n, Seeds (the group's size), Missing ("1 failed"), then per column its mean and its std in percent.</summary>
    private static string Csv(SeedAveragedReport report)
    {
        static string Field(string value) =>
            value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
        static string Line(IEnumerable<string> fields) => string.Join(",", fields.Select(Field)) + "\n";
        static string Percent(double? fraction) => fraction is { } value ? (value * 100).ToString("0.00", CultureInfo.InvariantCulture) : "";

        var text = new StringBuilder();
        text.Append(Line([NameHeader, "Source", "n", SeedsHeader, "Missing", .. Headers(report).SelectMany(h => (string[])[h, h + " std"])]));
        foreach (var row in report.Rows)
        {
            text.Append(Line([
                row.Name, row.Source ?? "",
                row.Seeds?.Finished.ToString(CultureInfo.InvariantCulture) ?? "",
                row.Seeds?.Total.ToString(CultureInfo.InvariantCulture) ?? "",
                row.Seeds?.DescribeMissing() ?? "",
                .. new[] { row.Clean }.Concat(row.Results).SelectMany(cell => (string[])[Percent(cell?.Mean), Percent(cell?.StandardDeviation)]),
            ]));
        }
        return text.ToString();
    }

    private static string Json(SeedAveragedReport report)
    {
        static JsonNode? Cell(Spread? cell) => cell is { } value
            ? new JsonObject { ["mean"] = value.Mean, ["std"] = value.StandardDeviation, ["n"] = value.Count }
            : null;

        var root = new JsonObject
        {
            ["title"] = report.Title,
            ["spread"] = "mean and sample standard deviation (n - 1) of accuracies in [0, 1] over each group's finished seeds; std null for one seed",
            ["columns"] = new JsonArray(report.Columns.Select(column => (JsonNode)new JsonObject
            {
                ["header"] = column.Header,
                ["kind"] = column.Kind.ToString(),
                ["level"] = column.Level,
                ["label"] = column.Label,
                ["corruption"] = column.Corruption,
            }).ToArray()),
            ["rows"] = new JsonArray(report.Rows.Select(row => (JsonNode)new JsonObject
            {
                ["name"] = row.Name,
                ["source"] = row.Source,
                ["seeds"] = row.Seeds is { } seeds
                    ? new JsonObject
                    {
                        ["n"] = seeds.Finished,
                        ["of"] = seeds.Total,
                        ["complete"] = seeds.IsComplete,
                        ["missing"] = new JsonObject(seeds.Missing.Select(reason => KeyValuePair.Create(reason.Key, (JsonNode?)reason.Value))),
                    }
                    : null,
                ["clean"] = Cell(row.Clean),
                ["results"] = new JsonArray(row.Results.Select(Cell).ToArray()),
            }).ToArray()),
            ["notes"] = new JsonArray(report.Notes.Select(note => (JsonNode?)note).ToArray()),
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }

    private static IEnumerable<string> Headers(SeedAveragedReport report) => report.Columns.Select(column => column.Header).Prepend("Clean");

    private static string SeedsText(SeedAveragedRow row) => row.Seeds?.Describe() ?? row.Source ?? "";

    /// <summary>The row's cells, clean first; the best is judged on the mean as shown (tenths of a percent), so display ties are all marked.</summary>
    private static IEnumerable<(string Text, bool IsBest)> Cells(SeedAveragedReport report, SeedAveragedRow row)
    {
        int count = report.Columns.Count + 1;
        int?[] best = Enumerable.Range(0, count)
            .Select(c => report.Rows.Select(other => Tenths(Cell(other, c))).Max())
            .ToArray();
        for (int c = 0; c < count; c++)
        {
            var cell = Cell(row, c);
            if (cell is not { } value)
            {
                yield return (Missing, false);
                continue;
            }
            string mean = Percent(value.Mean);
            string text = row.Seeds is null ? mean
                : value.StandardDeviation is { } deviation ? $"{mean} ± {Percent(deviation)}"
                : $"{mean} ± {Unknown}";
            yield return (text, Tenths(cell) == best[c]);
        }
    }

    private static Spread? Cell(SeedAveragedRow row, int column) => column == 0 ? row.Clean : column - 1 < row.Results.Count ? row.Results[column - 1] : null;

    private static int? Tenths(Spread? cell) => cell is { } value ? (int)Math.Round(value.Mean * 1000, MidpointRounding.AwayFromZero) : null;

    private static string Percent(double fraction) => (Math.Round(fraction * 1000, MidpointRounding.AwayFromZero) / 10).ToString("0.0", CultureInfo.InvariantCulture);
}
